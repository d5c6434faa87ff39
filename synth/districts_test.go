package synth

import (
	"testing"

	"docscan/plates"
)

func TestDistrictsAreReal(t *testing.T) {
	for _, d := range plateDistricts {
		if _, ok := plates.LookupDistrict(d); !ok {
			t.Errorf("district %q is not in the plate grammar's table", d)
		}
	}
}
