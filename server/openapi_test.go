package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type openAPIDoc struct {
	OpenAPI    string `json:"openapi"`
	Components struct {
		Schemas struct {
			Error struct {
				Properties struct {
					Error struct {
						Properties struct {
							Code struct {
								Enum []string `json:"enum"`
							} `json:"code"`
						} `json:"properties"`
					} `json:"error"`
				} `json:"properties"`
			} `json:"Error"`
		} `json:"schemas"`
	} `json:"components"`
	Paths map[string]map[string]struct {
		Security  []map[string][]string      `json:"security"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var d openAPIDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", d.OpenAPI)
	}
	return d
}

// TestOpenAPIMatchesRoutes checks the document against the route table and
// the live handlers: the same paths and methods, the same auth, every status
// a request gets is documented, and every code the scan endpoint can answer
// is in the Error schema.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	d := loadOpenAPI(t)
	var documented, served []string
	for path, ops := range d.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+path)
		}
	}
	for _, rt := range routes {
		served = append(served, rt.method+" "+rt.path)
		op := d.Paths[rt.path][strings.ToLower(rt.method)]
		if secured := len(op.Security) > 0; secured != rt.auth {
			t.Errorf("%s %s: documented security %v, handler auth %v", rt.method, rt.path, secured, rt.auth)
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("openapi.json paths %v, routes %v", documented, served)
	}

	tokens, _ := ParseTokens(strings.NewReader(HashToken("t") + "\n"))
	ts := start(t, Options{Scanner: stubPool(t, 1, 1, &stubProc{}), Tokens: tokens})
	img := testJPEG(t, 32, 32)
	check := func(method, path string, status int) {
		t.Helper()
		op, ok := d.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s %s not documented", method, path)
			return
		}
		if _, ok := op.Responses[strconv.Itoa(status)]; !ok {
			t.Errorf("%s %s answered %d, not documented", method, path, status)
		}
	}
	for _, rt := range routes {
		var hdr []string
		if rt.auth {
			hdr = []string{"Authorization", "Bearer t"}
		}
		var a answer
		if rt.method == "POST" {
			a = post(t, ts.url+rt.path, "image/jpeg", img, hdr...)
		} else {
			a = get(t, ts.url+rt.path, hdr...)
		}
		if a.status != 200 {
			t.Errorf("%s %s: %d %s", rt.method, rt.path, a.status, a.body)
		}
		check(rt.method, rt.path, a.status)
		if rt.auth {
			if rt.method == "POST" {
				a = post(t, ts.url+rt.path, "image/jpeg", img)
			} else {
				a = get(t, ts.url+rt.path)
			}
			check(rt.method, rt.path, a.status)
		}
	}
	a := get(t, ts.url+"/openapi.json")
	if b, _ := os.ReadFile("openapi.json"); !bytes.Equal(a.body, b) || a.header.Get("Content-Type") != "application/json" {
		t.Error("/openapi.json does not serve the checked-in document")
	}

	// Every status the scan endpoint maps a code to is documented, and every
	// code is in the schema.
	enum := d.Components.Schemas.Error.Properties.Error.Properties.Code.Enum
	for _, code := range []string{"bad_request", "unreadable_image", "unauthorized", "request_timeout", "too_large",
		"not_an_image", "unsupported_media_type", "overloaded", "unavailable", "deadline_exceeded", "internal"} {
		check("POST", "/v1/scan", statusOf(code))
		if !slices.Contains(enum, code) {
			t.Errorf("code %s not in the Error schema", code)
		}
	}
	// Unknown paths and methods answer JSON errors.
	if a := get(t, ts.url+"/v2/nothing"); a.status != http.StatusNotFound || a.code != "not_found" {
		t.Errorf("unknown path: %d %s", a.status, a.body)
	}
	if a := get(t, ts.url+"/v1/scan"); a.status != http.StatusMethodNotAllowed || a.code != "method_not_allowed" || a.header.Get("Allow") != "POST" {
		t.Errorf("GET /v1/scan: %d %s", a.status, a.body)
	}
}
