package dev.finops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a restore record: what the operator writes round-trips, anything else is refused with the reason. */
class RestoreRecordTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aRecordRoundTripsBoundToItsWorkload() {
        RestoreRecord written = new RestoreRecord("cap", AT, RestoreRecord.Mode.Deactivate, null, null, "uid-1");

        RestoreRecord.Parsed read = RestoreRecord.parse(written.toAnnotations());

        assertThat(read.record()).contains(written);
        assertThat(read.problem()).isNull();
        assertThat(written.boundTo("uid-1")).isTrue();
        assertThat(written.boundTo("uid-2")).isFalse();
        assertThat(written.resumedByUser(AT).uid()).isEqualTo("uid-1");
    }

    @Test
    void aRecordOfThePreviousVersionHasNoUidAndIsBoundToAnyWorkload() {
        RestoreRecord legacy = RestoreRecord.read(Map.of(RestoreRecord.SUSPENDED_BY, "gpupool/a100",
                RestoreRecord.SUSPENDED_AT, AT.toString(), RestoreRecord.MODE, "ScaleToZero",
                RestoreRecord.REPLICAS_BEFORE, "4")).orElseThrow();

        assertThat(legacy).isEqualTo(new RestoreRecord("gpupool/a100", AT, RestoreRecord.Mode.ScaleToZero, 4, null));
        assertThat(legacy.boundTo("any")).isTrue();
    }

    @Test
    void nonsenseIsRefusedWithTheReasonNeverReadAsARecord() {
        assertThat(RestoreRecord.parse(Map.of(RestoreRecord.SUSPENDED_BY, "cap", RestoreRecord.SUSPENDED_AT,
                AT.toString(), RestoreRecord.MODE, "ScaleToZero", RestoreRecord.REPLICAS_BEFORE, "-1")))
                .isEqualTo(new RestoreRecord.Parsed(java.util.Optional.empty(),
                        "finops.dev/replicas-before is -1, outside 0..10000"));
        assertThat(RestoreRecord.parse(Map.of(RestoreRecord.SUSPENDED_BY, " ")).problem())
                .isEqualTo("finops.dev/suspended-by is empty");
        assertThat(RestoreRecord.parse(Map.of(RestoreRecord.SUSPENDED_BY, "cap", RestoreRecord.SUSPENDED_AT,
                AT.toString(), RestoreRecord.MODE, "Freeze")).problem()).startsWith("the record of cap does not parse");
        assertThat(RestoreRecord.parse(Map.of("app", "x"))).isEqualTo(new RestoreRecord.Parsed(
                java.util.Optional.empty(), null));
    }
}
