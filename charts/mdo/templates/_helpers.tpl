{{/* Release-scoped name of every object (also cluster-scoped RBAC, so two releases never clash). */}}
{{- define "mdo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mdo.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "mdo.labels" -}}
{{ include "mdo.selectorLabels" . }}
app.kubernetes.io/part-of: mdo
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "mdo.serviceAccountName" -}}
{{- default (include "mdo.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The operator image: repository with the digest if pinned, else the tag (default appVersion). */}}
{{- define "mdo.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "mdo.catalogPath" -}}/etc/mdo/catalog/runtimes.yaml{{- end -}}

{{/* The activator's objects: its own component, so the operator's selectors never match them. */}}
{{- define "mdo.activatorName" -}}
{{- printf "%s-activator" (include "mdo.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mdo.activatorSelectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: activator
{{- end -}}

{{- define "mdo.activatorLabels" -}}
{{ include "mdo.activatorSelectorLabels" . }}
app.kubernetes.io/part-of: mdo
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Where the activator asks for a pod: the operator's metrics Service (its health port serves POST /v1/activations). */}}
{{- define "mdo.operatorUrl" -}}
{{- if .Values.activator.operatorUrl -}}
{{- .Values.activator.operatorUrl -}}
{{- else -}}
{{- printf "http://%s-metrics.%s.svc:%d" (include "mdo.fullname" .) .Release.Namespace (int .Values.metrics.service.port) -}}
{{- end -}}
{{- end -}}
