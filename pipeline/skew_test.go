package pipeline

import (
	"math"
	"testing"

	"docscan/geom"
	"docscan/models"
)

func TestSkewOf(t *testing.T) {
	line := func(deg, w, h float64) models.Region {
		return models.Region{Quad: geom.RotatedRect{C: geom.Point{500, 400}, W: w, H: h, Angle: deg * math.Pi / 180}.Quad()}
	}
	for _, c := range []struct {
		name string
		rs   []models.Region
		want float64
	}{
		{"none", nil, 0},
		{"level", []models.Region{line(0, 300, 20), line(1, 200, 20)}, 0.4},
		{"tilted", []models.Region{line(-28, 400, 30), line(-29, 300, 30), line(-30, 200, 30)}, -28.8},
		{"quarter turn is the same tilt", []models.Region{line(62, 400, 30), line(-28, 400, 30)}, -28},
		{"upside down", []models.Region{line(152, 400, 30)}, -28},
		{"near 45 both ways", []models.Region{line(44, 400, 30), line(-44, 400, 30), line(46, 400, 30)}, 45},
		{"short boxes do not count", []models.Region{line(30, 50, 30), line(5, 300, 30)}, 5},
		{"disagreeing lines", []models.Region{line(0, 300, 20), line(45, 300, 20)}, 0},
	} {
		got := skewOf(c.rs)
		d := math.Abs(math.Remainder(got-c.want, 90))
		if d > 0.6 {
			t.Errorf("%s: skew %.2f, want %.2f", c.name, got, c.want)
		}
	}
}
