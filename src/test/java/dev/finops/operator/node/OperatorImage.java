package dev.finops.operator.node;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The operator's OCI image, written as an archive by Jib's core library without a Docker engine or a registry: on
 * {@code scratch}, a runtime layer (the jlink-ed JRE in /opt/java and the C libraries it links, prepared by
 * {@code hack/image.sh}), then Quarkus's fast-jar in /deployments as a libraries layer (changes with dependencies) and
 * an application layer (changes with every build). Runs as a high non-root UID, needs no shell. Jib writes every
 * timestamp as the epoch and sorts layer entries, so the same inputs give the same digest.
 */
public final class OperatorImage {

    /** The user the image runs as: a high UID that owns nothing in the image (everything is root's, read-only). */
    public static final String USER = "65532:65532";
    static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java");
    static final AbsoluteUnixPath DEPLOYMENTS = AbsoluteUnixPath.get("/deployments");

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");

    private final Path runtimeRoot;
    private final Path quarkusApp;

    /**
     * @param runtimeRoot a directory laid out as the image's root for the runtime (opt/java, lib/x86_64-linux-gnu,
     *                    lib64), as hack/image.sh prepares it
     * @param quarkusApp  Quarkus's fast-jar, target/quarkus-app
     */
    public OperatorImage(Path runtimeRoot, Path quarkusApp) {
        this.runtimeRoot = requireDirectory(runtimeRoot, "the runtime root (hack/image.sh prepares it)");
        this.quarkusApp = requireDirectory(quarkusApp, "the Quarkus fast-jar (./mvnw package builds it)");
        if (!Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
            throw new IllegalArgumentException(quarkusApp + " holds no quarkus-run.jar: run ./mvnw package first");
        }
    }

    /** Writes the image to {@code archive} under the reference {@code name}; returns what Jib built. */
    public JibContainer writeArchive(String name, Path archive) throws Exception {
        Files.createDirectories(archive.toAbsolutePath().getParent());
        Path cache = archive.toAbsolutePath().getParent().resolve(".jib-cache");
        return builder().containerize(Containerizer.to(TarImage.at(archive).named(name))
                .setBaseImageLayersCache(cache).setApplicationLayersCache(cache)
                .setToolName("gpu-finops-operator hack/image.sh"));
    }

    JibContainerBuilder builder() throws Exception {
        JibContainerBuilder builder = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .setCreationTime(Instant.EPOCH)
                .addFileEntriesLayer(layer("runtime", runtimeRoot, AbsoluteUnixPath.get("/"), name -> true))
                .addFileEntriesLayer(layer("libraries", quarkusApp, DEPLOYMENTS, "lib"::equals))
                .addFileEntriesLayer(layer("application", quarkusApp, DEPLOYMENTS, name -> !name.equals("lib")))
                .setEntrypoint(entrypoint())
                .setEnvironment(environment())
                .setUser(USER)
                .setWorkingDirectory(DEPLOYMENTS)
                .addExposedPort(Port.tcp(8080));
        builder.addLabel("org.opencontainers.image.title", "gpu-finops-operator");
        builder.addLabel("org.opencontainers.image.description", "Kubernetes operator for GPU cost (ExperimentBudget, GpuPool)");
        return builder;
    }

    /** The JVM's settings: a heap sized from the container's memory limit, and an exit rather than limping on OOM. */
    static List<String> entrypoint() {
        return List.of(JAVA_HOME.resolve("bin/java").toString(),
                "-XX:MaxRAMPercentage=75.0",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=/tmp",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar", DEPLOYMENTS.resolve("quarkus-run.jar").toString());
    }

    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", JAVA_HOME.toString());
        env.put("PATH", JAVA_HOME.resolve("bin").toString());
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /** A layer of the entries of {@code source} whose names {@code include} accepts, each put under {@code target}. */
    private static FileEntriesLayer layer(String name, Path source, AbsoluteUnixPath target, Predicate<String> include)
            throws Exception {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        List<Path> entries = new ArrayList<>();
        try (var files = Files.list(source)) {
            files.filter(path -> include.test(path.getFileName().toString())).sorted().forEach(entries::add);
        }
        for (Path entry : entries) {
            layer.addEntryRecursive(entry, target.resolve(entry.getFileName().toString()), OperatorImage::permissions,
                    FileEntriesLayer.DEFAULT_MODIFICATION_TIME_PROVIDER);
        }
        return layer.build();
    }

    /** Directories and executables 755, the rest 644: what the source says, not the umask of who built it. */
    private static FilePermissions permissions(Path source, AbsoluteUnixPath target) {
        return Files.isDirectory(source) || Files.isExecutable(source) ? EXECUTABLE : READABLE;
    }

    private static Path requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory: expected " + what);
        }
        return dir;
    }

    /** {@code OperatorImage <runtime root> <quarkus-app> <image name> <archive>}: what hack/image.sh runs. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OperatorImage <runtime root> <quarkus-app dir> <image name> <archive.tar>");
            System.exit(2);
        }
        Path archive = Path.of(args[3]);
        JibContainer image = new OperatorImage(Path.of(args[0]), Path.of(args[1])).writeArchive(args[2], archive);
        System.out.println("image=" + args[2]);
        System.out.println("digest=" + image.getDigest());
        System.out.println("id=" + image.getImageId());
        System.out.println("archive=" + archive.toAbsolutePath() + " (" + Files.size(archive) + " bytes)");
        System.exit(0);
    }
}
