package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pure merge of a pass's idle findings with the scale-downs the pool follows. */
class IdleFindingsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aFollowedWorkloadIsNoCandidateWhateverItsLastWindowSays() {
        IdleWorkload woken = followed("notebook", IdleWorkloadAction.WokenByUser);
        IdleWorkload scaledDown = followed("sweep", IdleWorkloadAction.ScaledDown);

        List<IdleFindings.Candidate> candidates = IdleFindings.candidates(List.of(finding("notebook", 1, 4_000_000),
                finding("sweep", 2, 8_000_000), finding("trainer", 1, 4_000_000)), List.of(woken, scaledDown), Map.of());

        assertThat(candidates).extracting(c -> c.ref().name()).containsExactly("trainer");
    }

    @Test
    void candidatesComeCostliestFirstAndStayIdleSinceTheirFirstFinding() {
        IdleWorkload earlier = followed("cheap", IdleWorkloadAction.Report);
        earlier.setIdleSince("2026-12-04T11:00:00Z");

        List<IdleFindings.Candidate> candidates = IdleFindings.candidates(List.of(finding("cheap", 1, 1_000_000),
                finding("dear", 4, 16_390_000)), List.of(), Map.of(IdleFindings.ref(earlier), earlier));

        assertThat(candidates).extracting(c -> c.ref().name()).containsExactly("dear", "cheap");
        assertThat(candidates.get(0).entry().getCostPerHour()).isEqualTo("16.39");
        assertThat(candidates.get(0).entry().getIdleSince()).isEqualTo(NOW.minusSeconds(60).toString());
        assertThat(candidates.get(1).entry().getIdleSince()).isEqualTo("2026-12-04T11:00:00Z");
        assertThat(candidates.get(1).actionBefore()).isEqualTo(IdleWorkloadAction.Report);
    }

    @Test
    void whatCarriesTheRecordIsAlwaysListedTheRestUpToTheCapAndOnlyTheRestCountsAsIdleGpus() {
        List<IdleFindings.Decided> decided = IntStream.range(0, 4)
                .mapToObj(i -> new IdleFindings.Decided(candidate("report-" + i, 1), IdleWorkloadAction.Report))
                .collect(java.util.stream.Collectors.toList());
        decided.add(new IdleFindings.Decided(candidate("scaled", 2), IdleWorkloadAction.ScaledDown));
        decided.add(new IdleFindings.Decided(candidate("gone", 8), null));

        IdleFindings.Listing listing = IdleFindings.list(decided, 2);

        assertThat(listing.entries()).extracting(IdleWorkload::getName, IdleWorkload::getAction).containsExactly(
                org.assertj.core.groups.Tuple.tuple("report-0", IdleWorkloadAction.Report),
                org.assertj.core.groups.Tuple.tuple("report-1", IdleWorkloadAction.Report),
                org.assertj.core.groups.Tuple.tuple("scaled", IdleWorkloadAction.ScaledDown));
        assertThat(listing.idleGpus()).isEqualTo(4);
        assertThat(listing.reportedOnly()).isEqualTo(4);
    }

    @Test
    void onlyEntriesWithThePoolsRecordAreFollowed() {
        List<IdleWorkload> entries = List.of(followed("a", IdleWorkloadAction.ScaledDown),
                followed("b", IdleWorkloadAction.WokenByUser), followed("c", IdleWorkloadAction.Report),
                followed("d", IdleWorkloadAction.Skipped), followed("e", IdleWorkloadAction.CannotScaleDown),
                followed("f", IdleWorkloadAction.Exempt), followed("g", null));

        assertThat(IdleFindings.recorded(entries)).extracting(IdleWorkload::getName).containsExactly("a", "b");
        assertThat(IdleFindings.recorded(null)).isEmpty();
    }

    private static IdleFindings.Candidate candidate(String name, double gpus) {
        IdleReport.Finding finding = finding(name, gpus, 1_000_000);
        return IdleFindings.candidates(List.of(finding), List.of(), Map.of()).get(0);
    }

    private static IdleReport.Finding finding(String name, double gpus, long costMicrosPerHour) {
        return new IdleReport.Finding("ml", new WorkloadKey("Deployment", name), "apps/v1", gpus,
                NOW.minusSeconds(60), costMicrosPerHour);
    }

    private static IdleWorkload followed(String name, IdleWorkloadAction action) {
        WorkloadRef ref = new WorkloadRef("apps/v1", "Deployment", "ml", name);
        IdleWorkload entry = new IdleWorkload();
        entry.setNamespace(ref.namespace());
        entry.setApiVersion(ref.apiVersion());
        entry.setKind(ref.kind());
        entry.setName(ref.name());
        entry.setAction(action);
        return entry;
    }
}
