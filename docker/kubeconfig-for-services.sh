#!/bin/sh
# K3s writes a kubeconfig for 127.0.0.1; the services reach the API server as "k3s".
set -eu
while [ ! -s /k3s-output/kubeconfig.yaml ]; do sleep 1; done
sed 's#https://127.0.0.1:6443#https://k3s:6443#' /k3s-output/kubeconfig.yaml > /k3s-output/kubeconfig-services.yaml
chmod 0644 /k3s-output/kubeconfig-services.yaml
