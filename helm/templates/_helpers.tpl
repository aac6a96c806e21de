{{- define "runnel.labels" -}}
app.kubernetes.io/part-of: runnel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "runnel.secretName" -}}
{{- default (printf "%s-runnel" .Release.Name) .Values.secrets.existingSecret -}}
{{- end }}

{{/* The module name of a service: gateway, or <name>-service. */}}
{{- define "runnel.module" -}}
{{- if eq . "gateway" }}gateway{{ else }}{{ . }}-service{{ end -}}
{{- end }}
