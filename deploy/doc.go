// Package deploy holds the Kubernetes manifests of docscan (*.yaml) and the
// tests that check them, and the Dockerfile at the repository root, against
// what the code and scripts/deps.sh expect. It has no code of its own.
package deploy
