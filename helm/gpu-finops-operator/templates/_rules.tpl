{{/*
RBAC rules, each with the reason the operator needs it. No wildcards, no Secrets, no pod deletion, no
create/delete of anything but Events (and the operator's own Lease). Used by clusterrole.yaml for all
namespaces, or by role-watched-namespaces.yaml per watched namespace.
*/}}

{{/* ExperimentBudgets (namespaced) and the Events recorded on them. */}}
{{- define "gpu-finops-operator.rules.budgets" -}}
# Watch budgets (controller informer) and add/remove the operator's finalizer (a patch of metadata;
# update for the framework's fallback when a patch conflicts).
- apiGroups: [finops.dev]
  resources: [experimentbudgets]
  verbs: [get, list, watch, patch, update]
# Write the computed status (server-side apply on the status subresource).
- apiGroups: [finops.dev]
  resources: [experimentbudgets/status]
  verbs: [patch, update]
# Where the OwnerReferencesPermissionEnforcement admission plugin is on (OpenShift), setting finalizers or
# blocking owner references on a budget needs update on this subresource.
- apiGroups: [finops.dev]
  resources: [experimentbudgets/finalizers]
  verbs: [update]
# Condition transitions (Valid, PricesKnown, BudgetExceeded, ...) as Events on the budget, in its namespace,
# for kubectl describe and event pipelines. Create only: each Event has a new name.
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end }}

{{/*
Workloads of the budgets' pods and of idle GPU work: enforcement (Suspend), idle scale-down and their restores
(workload/WorkloadController). The operator keeps informers (list, then watch) of the workloads carrying its
record label (finops.dev/suspended), cluster-wide or in each watched namespace, so that finding its records costs
no request per pass; without watch it falls back to a list per search. These are needed even before anything is
stopped: keep them on (values: rbac.workloadActions.enabled), or every enforcing budget's reconcile fails.
*/}}
{{- define "gpu-finops-operator.rules.workloads" -}}
{{- if .Values.rbac.workloadActions.enabled }}
# Keep the workloads that carry the operator's restore record in an informer selected by its label (list,
# watch), read one (get), suspend/restore a Job or CronJob (spec.suspend) and write or clear the record annotation
# (a JSON patch). A pod's Job is read to find its CronJob. Never create or delete.
- apiGroups: [batch]
  resources: [jobs, cronjobs]
  verbs: [get, list, watch, patch]
# The same for Deployments and StatefulSets (list and watch by the record label, get, record annotations); bare
# ReplicaSets are scaled like them.
- apiGroups: [apps]
  resources: [deployments, statefulsets, replicasets]
  verbs: [get, list, watch, patch]
# Scale to zero and back through the scale subresource, never by editing the pod template: read the replicas,
# then replace the Scale (fabric8 scale(n) is a get and an update).
- apiGroups: [apps]
  resources: [deployments/scale, statefulsets/scale, replicasets/scale]
  verbs: [get, update]
# A DaemonSet has no /scale: read it only to report that it cannot be suspended.
- apiGroups: [apps]
  resources: [daemonsets]
  verbs: [get]
{{- range .Values.rbac.workloadActions.extraScaleTargets }}
# Extra scalable workload kind {{ .resource }}.{{ .apiGroup }} (values: rbac.workloadActions.extraScaleTargets).
- apiGroups: [{{ .apiGroup | quote }}]
  resources: [{{ .resource | quote }}]
  verbs: [get, patch]
- apiGroups: [{{ .apiGroup | quote }}]
  resources: [{{ printf "%s/scale" .resource | quote }}]
  verbs: [get, update]
{{- end }}
{{- end }}
{{- end }}

{{/*
ML workload kinds, one family per project and each opt-in (values: rbac.<family>.enabled, off by default): a
budget or pool can stop only what its family grants; with a family off, those workloads are listed CannotStop
with the chart value to set, and nothing else is affected (workload/WorkloadKind). In every family: list and
watch feed the informers of the workloads carrying the operator's record label (finops.dev/suspended); get reads
one to inspect it and to verify a pod's owner chain (uid and the labels its controller writes); patch writes the
record annotations and the kind's suspend field, in one JSON merge patch. Never create or delete.
*/}}
{{- define "gpu-finops-operator.rules.mlWorkloads" -}}
{{- if .Values.rbac.kubeflow.enabled }}
# Kubeflow training operator v1 jobs: stopped by spec.runPolicy.suspend; their pods are owned by the job directly.
- apiGroups: [kubeflow.org]
  resources: [pytorchjobs, tfjobs, mpijobs, xgboostjobs, paddlejobs, jaxjobs]
  verbs: [get, list, watch, patch]
{{- end }}
{{- if .Values.rbac.trainer.enabled }}
# Kubeflow Trainer v2 TrainJobs: stopped by spec.suspend; its JobSet (rbac.jobset) is read to follow its pods up.
- apiGroups: [trainer.kubeflow.org]
  resources: [trainjobs]
  verbs: [get, list, watch, patch]
{{- end }}
{{- if .Values.rbac.jobset.enabled }}
# JobSets: stopped by spec.suspend; read (get) on the owner chain of their Jobs' pods, also under a TrainJob.
- apiGroups: [jobset.x-k8s.io]
  resources: [jobsets]
  verbs: [get, list, watch, patch]
{{- end }}
{{- if .Values.rbac.ray.enabled }}
# KubeRay RayJobs and RayClusters: stopped by spec.suspend; a RayJob's RayCluster is read to follow its pods up.
- apiGroups: [ray.io]
  resources: [rayjobs, rayclusters]
  verbs: [get, list, watch, patch]
{{- end }}
{{- if .Values.rbac.leaderWorkerSet.enabled }}
# LeaderWorkerSets: read, records, and followed up from their StatefulSets' pods.
- apiGroups: [leaderworkerset.x-k8s.io]
  resources: [leaderworkersets]
  verbs: [get, list, watch, patch]
# Zero groups and back through the scale subresource (the client reads the Scale and replaces it).
- apiGroups: [leaderworkerset.x-k8s.io]
  resources: [leaderworkersets/scale]
  verbs: [get, update]
{{- end }}
{{- if .Values.rbac.kueue.enabled }}
# Kueue Workloads: a job Kueue admits (label kueue.x-k8s.io/queue-name) is stopped through its Workload's
# spec.active, since Kueue owns the job's suspend. list finds a job's Workload by its job-uid label or owner
# reference; patch sets spec.active. The restore record stays on the job (rights of the job's own family).
- apiGroups: [kueue.x-k8s.io]
  resources: [workloads]
  verbs: [get, list, patch]
{{- end }}
{{- end }}

{{/*
What GpuPools with provider.scaleTargets may scale: Cluster API node groups (rbac.clusterApi.enabled) and the
node-group kinds the platform team lists (scaleTargets.allowedKinds). The operator refuses a target of any other
kind before any request, so these rules, not the workload rules above, are the pools' reach.
*/}}
{{- define "gpu-finops-operator.rules.scaleTargets" -}}
{{- if .Values.rbac.clusterApi.enabled }}
# GpuPools with provider.scaleTargets on Cluster API: read the targets (and their scale-from-zero capacity
# annotations), set their replicas through /scale (the client reads the Scale and writes it back: get, update).
- apiGroups: [cluster.x-k8s.io]
  resources: [machinedeployments, machinepools, machinesets]
  verbs: [get]
- apiGroups: [cluster.x-k8s.io]
  resources: [machinedeployments/scale, machinepools/scale, machinesets/scale]
  verbs: [get, update]
{{- end }}
{{- range .Values.scaleTargets.allowedKinds }}
# Node-group kind {{ .kind }}.{{ .apiGroup }} that GpuPools may scale (values: scaleTargets.allowedKinds).
- apiGroups: [{{ .apiGroup | quote }}]
  resources: [{{ .resource | quote }}]
  verbs: [get]
- apiGroups: [{{ .apiGroup | quote }}]
  resources: [{{ printf "%s/scale" .resource | quote }}]
  verbs: [get, update]
{{- end }}
{{- end }}

{{/* The operator setting finops.scale-targets.allowed-kinds: Kind.apiGroup, comma-separated. */}}
{{- define "gpu-finops-operator.scaleTargetKinds" -}}
{{- $kinds := list }}
{{- range .Values.scaleTargets.allowedKinds }}
{{- $kinds = append $kinds (printf "%s.%s" .kind .apiGroup) }}
{{- end }}
{{- join "," $kinds }}
{{- end }}
