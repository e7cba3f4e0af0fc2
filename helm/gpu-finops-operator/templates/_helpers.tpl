{{/* Chart name, overridable. */}}
{{- define "gpu-finops-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of every object of the release: the release name when it contains the chart name. */}}
{{- define "gpu-finops-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gpu-finops-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gpu-finops-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gpu-finops-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gpu-finops-operator.labels" -}}
helm.sh/chart: {{ include "gpu-finops-operator.chart" . }}
{{ include "gpu-finops-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: gpu-finops
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "gpu-finops-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gpu-finops-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false: name an existing ServiceAccount" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "gpu-finops-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The price ConfigMap's name; empty when the operator uses the built-in catalog only. */}}
{{- define "gpu-finops-operator.pricesConfigMap" -}}
{{- if .Values.pricing.configMap.name }}
{{- .Values.pricing.configMap.name }}
{{- else if .Values.pricing.configMap.create }}
{{- printf "%s-prices" (include "gpu-finops-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "gpu-finops-operator.pricesNamespace" -}}
{{- default .Release.Namespace .Values.pricing.namespace }}
{{- end }}

{{/*
The Lease the replicas compete for. Its name is fixed in the operator (config/LeaderElection.java) and it
lives in the operator's namespace (POD_NAMESPACE): one release per namespace.
*/}}
{{- define "gpu-finops-operator.leaseName" -}}
gpu-finops-operator-leader
{{- end }}
