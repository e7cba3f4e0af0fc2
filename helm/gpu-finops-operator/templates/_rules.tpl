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
