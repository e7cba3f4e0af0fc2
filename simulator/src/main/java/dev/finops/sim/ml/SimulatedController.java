package dev.finops.sim.ml;

/** One upstream controller the simulator plays (training operator, KubeRay, Kueue); closing stops it. */
public interface SimulatedController extends AutoCloseable {

    /** Its name in event lines and logs, e.g. {@code training-operator (PyTorchJob)}. */
    String name();

    @Override
    void close();
}
