package dev.finops.operator.idle;

import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.api.Recommendation;
import dev.finops.operator.model.Money;
import dev.finops.operator.model.WorkloadRef;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure: a pass's idle findings merged with the scale-downs the pool follows, and the result as status entries.
 * A workload the pool follows (scaled down, or woken since: scaled up by a person, or restored at a person's
 * request, which is a wake too) is never a candidate again in the same pass, whatever Prometheus still says of
 * its last window: it keeps its entry, and a woken one its replicas for a whole new window.
 */
public final class IdleFindings {

    /** A finding to decide on: its status entry (idle since the earlier entry's time) and the earlier action. */
    public record Candidate(IdleReport.Finding finding, IdleWorkload entry, IdleWorkloadAction actionBefore) {

        public WorkloadRef ref() {
            return IdleFindings.ref(entry);
        }
    }

    /** A candidate and what was done about it; a null action is not listed (gone, changed meanwhile). */
    public record Decided(Candidate candidate, IdleWorkloadAction action) {
    }

    /** The entries to list, the idle GPUs only reported (not scaled down), and how many such entries there were. */
    public record Listing(List<IdleWorkload> entries, int idleGpus, int reportedOnly) {
    }

    private IdleFindings() {
    }

    /**
     * The findings, costliest first, that are not among the {@code followed} scale-downs; each idle since what
     * the status listed {@code before}, so repeated findings stay stable.
     */
    public static List<Candidate> candidates(List<IdleReport.Finding> findings, List<IdleWorkload> followed,
            Map<WorkloadRef, IdleWorkload> before) {
        Set<WorkloadRef> skip = followed.stream().map(IdleFindings::ref).collect(Collectors.toSet());
        List<Candidate> candidates = new ArrayList<>();
        for (IdleReport.Finding finding : findings.stream()
                .sorted(Comparator.comparingLong(IdleReport.Finding::costMicrosPerHour).reversed()).toList()) {
            IdleWorkload entry = entry(finding);
            if (skip.contains(ref(entry))) {
                continue;
            }
            IdleWorkload earlier = before.get(ref(entry));
            if (earlier != null && earlier.getIdleSince() != null) {
                entry.setIdleSince(earlier.getIdleSince()); // idle since then, not since "a window ago" each pass
            }
            candidates.add(new Candidate(finding, entry, earlier == null ? null : earlier.getAction()));
        }
        return candidates;
    }

    /**
     * The decided candidates as entries: every one carrying the pool's record (it is the pool's restore index),
     * at most {@code maxReportedOnly} of the others; their GPUs count as idle.
     */
    public static Listing list(List<Decided> decided, int maxReportedOnly) {
        List<IdleWorkload> entries = new ArrayList<>();
        int idleGpus = 0;
        int reportedOnly = 0;
        for (Decided one : decided) {
            if (one.action() == null) {
                continue;
            }
            IdleWorkload entry = one.candidate().entry();
            entry.setAction(one.action());
            if (!one.action().recorded()) {
                idleGpus += (int) Math.round(one.candidate().finding().gpus());
                if (++reportedOnly > maxReportedOnly) {
                    continue;
                }
            }
            entries.add(entry);
        }
        return new Listing(entries, idleGpus, reportedOnly);
    }

    /** The entries that carry the pool's record: scaled down, or running again since. */
    public static List<IdleWorkload> recorded(List<IdleWorkload> entries) {
        return entries == null ? List.of()
                : entries.stream().filter(entry -> entry.getAction() != null && entry.getAction().recorded()).toList();
    }

    public static Map<WorkloadRef, IdleWorkload> byRef(List<IdleWorkload> entries) {
        Map<WorkloadRef, IdleWorkload> map = new LinkedHashMap<>();
        (entries == null ? List.<IdleWorkload>of() : entries).forEach(entry -> map.put(ref(entry), entry));
        return map;
    }

    /** The costliest advices as status entries. */
    public static List<Recommendation> recommendations(IdleReport report, int max) {
        List<Recommendation> recommendations = new ArrayList<>();
        for (IdleReport.Advice advice : report.rightsizing().stream()
                .sorted(Comparator.comparingLong(IdleReport.Advice::savingsMicrosPerHour).reversed())
                .limit(max).toList()) {
            Recommendation recommendation = new Recommendation();
            recommendation.setNamespace(advice.namespace());
            recommendation.setKind(advice.workload().kind());
            recommendation.setName(advice.workload().name());
            recommendation.setRequestedGpus(advice.requestedGpus());
            // in steps of 5: a mean that wobbles by a point must not rewrite the status every pass
            recommendation.setUsedPercent((int) (Math.round(advice.usedPercent() / 5) * 5));
            recommendation.setRecommendedGpus(advice.recommendedGpus());
            recommendation.setSavingsPerHour(Money.formatCents(advice.savingsMicrosPerHour()));
            recommendations.add(recommendation);
        }
        return recommendations;
    }

    public static WorkloadRef ref(IdleWorkload entry) {
        return new WorkloadRef(entry.getApiVersion(), entry.getKind(), entry.getNamespace(), entry.getName());
    }

    /** GPUs as people write them: "2", "0.25". */
    public static String gpusText(double gpus) {
        return BigDecimal.valueOf(gpus).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static IdleWorkload entry(IdleReport.Finding finding) {
        IdleWorkload workload = new IdleWorkload();
        workload.setNamespace(finding.namespace());
        workload.setApiVersion(finding.apiVersion());
        workload.setKind(finding.workload().kind());
        workload.setName(finding.workload().name());
        workload.setGpus(gpusText(finding.gpus()));
        workload.setIdleSince(finding.idleSince().toString());
        workload.setCostPerHour(Money.formatCents(finding.costMicrosPerHour()));
        return workload;
    }
}
