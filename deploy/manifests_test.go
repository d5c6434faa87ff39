package deploy

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// objects are the manifests of deploy/*.yaml, decoded strictly into the
// Kubernetes API types: an unknown or misspelt field anywhere fails.
type objects struct {
	deployments  map[string]*appsv1.Deployment
	statefulSets map[string]*appsv1.StatefulSet
	services     map[string]*corev1.Service
	configMaps   map[string]*corev1.ConfigMap
	hpas         map[string]*autoscalingv2.HorizontalPodAutoscaler
}

func load(t *testing.T) *objects {
	t.Helper()
	o := &objects{deployments: map[string]*appsv1.Deployment{}, statefulSets: map[string]*appsv1.StatefulSet{},
		services: map[string]*corev1.Service{}, configMaps: map[string]*corev1.ConfigMap{},
		hpas: map[string]*autoscalingv2.HorizontalPodAutoscaler{}}
	files, _ := filepath.Glob("*.yaml")
	if len(files) == 0 {
		t.Fatal("no manifests")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var head struct{ APIVersion, Kind string }
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				t.Fatalf("%s #%d: %v", f, i, err)
			}
			where := fmt.Sprintf("%s #%d (%s)", f, i, head.Kind)
			var obj interface{ GetName() string }
			var put func()
			switch head.APIVersion + " " + head.Kind {
			case "apps/v1 Deployment":
				d := &appsv1.Deployment{}
				obj, put = d, func() { o.deployments[d.Name] = d }
			case "apps/v1 StatefulSet":
				s := &appsv1.StatefulSet{}
				obj, put = s, func() { o.statefulSets[s.Name] = s }
			case "v1 Service":
				s := &corev1.Service{}
				obj, put = s, func() { o.services[s.Name] = s }
			case "v1 ConfigMap":
				c := &corev1.ConfigMap{}
				obj, put = c, func() { o.configMaps[c.Name] = c }
			case "autoscaling/v2 HorizontalPodAutoscaler":
				h := &autoscalingv2.HorizontalPodAutoscaler{}
				obj, put = h, func() { o.hpas[h.Name] = h }
			default:
				t.Fatalf("%s: unexpected %s %s", where, head.APIVersion, head.Kind)
			}
			if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if obj.GetName() == "" {
				t.Fatalf("%s: no metadata.name", where)
			}
			put()
		}
	}
	return o
}

// flagValue returns the value of --name in args.
func flagValue(args []string, name string) string {
	if i := slices.Index(args, "--"+name); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// checkPod checks what every pod template here needs: a selector that
// matches its labels, probes on declared ports, memory requests and limits.
func checkPod(t *testing.T, name string, sel map[string]string, tpl corev1.PodTemplateSpec) corev1.Container {
	t.Helper()
	for k, v := range sel {
		if tpl.Labels[k] != v {
			t.Errorf("%s: selector %s=%s does not match the pod labels %v", name, k, v, tpl.Labels)
		}
	}
	if len(tpl.Spec.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", name, len(tpl.Spec.Containers))
	}
	c := tpl.Spec.Containers[0]
	for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
		if p == nil || p.HTTPGet == nil {
			continue
		}
		if !hasPort(c, p.HTTPGet.Port) {
			t.Errorf("%s: probe %s on port %s, not a container port", name, p.HTTPGet.Path, p.HTTPGet.Port.String())
		}
	}
	req, lim := c.Resources.Requests, c.Resources.Limits
	if req.Cpu().IsZero() || req.Memory().IsZero() || lim.Memory().IsZero() {
		t.Errorf("%s: needs CPU and memory requests and a memory limit: %v", name, c.Resources)
	} else if lim.Memory().Cmp(*req.Memory()) < 0 {
		t.Errorf("%s: memory limit %s below its request %s", name, lim.Memory(), req.Memory())
	}
	return c
}

func hasPort(c corev1.Container, p intstr.IntOrString) bool {
	for _, cp := range c.Ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return true
		}
	}
	return false
}

// Measured on the 2-core machine (README): docscan serve with 2 workers
// peaks at 756 MiB RSS (10-minute soak, 64 clients) and uses about one core per worker.
var (
	peakRSS2Workers = resource.MustParse("756Mi")
	coresPerWorker  = 1
)

// checkEngineResources sizes a docscan pod against its --workers.
func checkEngineResources(t *testing.T, name string, c corev1.Container) {
	t.Helper()
	workers, err := strconv.Atoi(flagValue(c.Args, "workers"))
	if err != nil {
		t.Errorf("%s: --workers must be set (the default is the node's cores, not the pod's): %v", name, c.Args)
		return
	}
	req := c.Resources.Requests
	if want := resource.NewQuantity(int64(workers*coresPerWorker), resource.DecimalSI); req.Cpu().Cmp(*want) < 0 {
		t.Errorf("%s: CPU request %s for %d workers, want at least %s", name, req.Cpu(), workers, want)
	}
	if workers <= 2 && req.Memory().Cmp(peakRSS2Workers) < 0 {
		t.Errorf("%s: memory request %s below the measured peak %s", name, req.Memory(), &peakRSS2Workers)
	}
}

func TestManifests(t *testing.T) {
	o := load(t)

	// serve: a Deployment with probes, a Service, an HPA on CPU.
	serve := o.deployments["docscan-serve"]
	if serve == nil {
		t.Fatal("no Deployment docscan-serve")
	}
	c := checkPod(t, "docscan-serve", serve.Spec.Selector.MatchLabels, serve.Spec.Template)
	if len(c.Args) == 0 || c.Args[0] != "serve" {
		t.Errorf("serve: args %v", c.Args)
	}
	addr := flagValue(c.Args, "addr")
	host, port, _ := strings.Cut(addr, ":")
	if host != "0.0.0.0" || !hasPort(c, intstr.Parse(port)) {
		t.Errorf("serve: --addr %q must listen on all interfaces on a container port", addr)
	}
	if tokens := flagValue(c.Args, "tokens"); tokens == "" || !mounted(serve.Spec.Template.Spec, c, tokens) {
		t.Errorf("serve: --tokens %q must be a file on a mounted volume (required off loopback)", tokens)
	}
	for _, p := range []struct {
		probe *corev1.Probe
		path  string
	}{{c.ReadinessProbe, "/readyz"}, {c.LivenessProbe, "/healthz"}} {
		if p.probe == nil || p.probe.HTTPGet == nil || p.probe.HTTPGet.Path != p.path {
			t.Errorf("serve: want an HTTP probe on %s, have %+v", p.path, p.probe)
		}
	}
	checkEngineResources(t, "serve", c)
	if g := serve.Spec.Template.Spec.TerminationGracePeriodSeconds; g == nil || *g <= 30 {
		t.Errorf("serve: terminationGracePeriodSeconds must exceed --shutdown-timeout (30 s)")
	}
	checkService(t, o, "docscan-serve", serve.Spec.Template, c)
	hpa := o.hpas["docscan-serve"]
	switch {
	case hpa == nil:
		t.Error("no HorizontalPodAutoscaler docscan-serve")
	case hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != serve.Name:
		t.Errorf("HPA targets %+v", hpa.Spec.ScaleTargetRef)
	case len(hpa.Spec.Metrics) != 1 || hpa.Spec.Metrics[0].Resource == nil || hpa.Spec.Metrics[0].Resource.Name != corev1.ResourceCPU ||
		hpa.Spec.Metrics[0].Resource.Target.AverageUtilization == nil:
		t.Errorf("HPA metrics %+v: want CPU utilization", hpa.Spec.Metrics)
	case hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas:
		t.Errorf("HPA replicas %v..%d", hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
	}

	// NATS: a 3-node JetStream StatefulSet, its headless Service for the
	// routes, a client Service, and the server version docscan embeds.
	nats := o.statefulSets["nats"]
	if nats == nil {
		t.Fatal("no StatefulSet nats")
	}
	nc := checkPod(t, "nats", nats.Spec.Selector.MatchLabels, nats.Spec.Template)
	if nats.Spec.Replicas == nil || *nats.Spec.Replicas != 3 {
		t.Errorf("nats: replicas %v, want 3", nats.Spec.Replicas)
	}
	headless := o.services[nats.Spec.ServiceName]
	if headless == nil || headless.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Errorf("nats: serviceName %q must name a headless Service", nats.Spec.ServiceName)
	}
	if want := "nats:" + strings.TrimPrefix(goModVersion(t, "github.com/nats-io/nats-server/v2"), "v") + "-alpine"; nc.Image != want {
		t.Errorf("nats image %s, want %s (the server docscan embeds and tests)", nc.Image, want)
	}
	conf := ""
	for _, cm := range o.configMaps {
		conf += cm.Data["nats.conf"]
	}
	if !regexp.MustCompile(`(?s)jetstream\s*\{.*max_memory_store`).MatchString(conf) {
		t.Error("nats.conf: no jetstream block with max_memory_store")
	}
	for i := range 3 {
		if route := fmt.Sprintf("nats://nats-%d.%s:", i, nats.Spec.ServiceName); !strings.Contains(conf, route) {
			t.Errorf("nats.conf: no route %s...", route)
		}
	}
	checkService(t, o, "nats", nats.Spec.Template, nc)

	// worker: pulls from the NATS client Service.
	worker := o.deployments["docscan-worker"]
	if worker == nil {
		t.Fatal("no Deployment docscan-worker")
	}
	wc := checkPod(t, "docscan-worker", worker.Spec.Selector.MatchLabels, worker.Spec.Template)
	if len(wc.Args) == 0 || wc.Args[0] != "worker" {
		t.Errorf("worker: args %v", wc.Args)
	}
	u, err := url.Parse(flagValue(wc.Args, "nats"))
	if err != nil || u.Scheme != "nats" {
		t.Fatalf("worker: --nats %q", flagValue(wc.Args, "nats"))
	}
	if svc := o.services[u.Hostname()]; svc == nil || len(svc.Spec.Ports) == 0 || strconv.Itoa(int(svc.Spec.Ports[0].Port)) != u.Port() {
		t.Errorf("worker: --nats %s is not a NATS Service port", u)
	}
	checkEngineResources(t, "worker", wc)
	if wc.Image != c.Image {
		t.Errorf("worker image %s, serve image %s: one image runs both", wc.Image, c.Image)
	}
}

// checkService checks that the Service named selects the pod and targets
// its declared ports.
func checkService(t *testing.T, o *objects, name string, tpl corev1.PodTemplateSpec, c corev1.Container) {
	t.Helper()
	svc := o.services[name]
	if svc == nil {
		t.Errorf("no Service %s", name)
		return
	}
	for k, v := range svc.Spec.Selector {
		if tpl.Labels[k] != v {
			t.Errorf("Service %s: selector %s=%s matches no pod", name, k, v)
		}
	}
	for _, p := range svc.Spec.Ports {
		if !hasPort(c, p.TargetPort) {
			t.Errorf("Service %s: targetPort %s is not a container port", name, p.TargetPort.String())
		}
	}
}

// mounted reports whether path lies on a volume mount of c backed by a
// volume of the pod.
func mounted(pod corev1.PodSpec, c corev1.Container, path string) bool {
	for _, m := range c.VolumeMounts {
		if strings.HasPrefix(path, strings.TrimSuffix(m.MountPath, "/")+"/") &&
			slices.ContainsFunc(pod.Volumes, func(v corev1.Volume) bool { return v.Name == m.Name }) {
			return true
		}
	}
	return false
}

// goModVersion returns the version go.mod requires of a module.
func goModVersion(t *testing.T, mod string) string {
	t.Helper()
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(string(line)), "require "))
		if len(f) >= 2 && f[0] == mod {
			return f[1]
		}
	}
	t.Fatalf("go.mod does not require %s", mod)
	return ""
}
