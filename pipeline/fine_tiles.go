package pipeline

import (
	"context"
	"math"

	"docscan/geom"
	"docscan/models"
	"docscan/preprocess"
)

// The fine detection pass runs over tiles of the enlarged image rather than
// the whole of it: the detector's working memory grows with its input (a
// whole 1920 x 1440 input takes above 550 MB, and the session's arena keeps
// up to 1 GB after it, measured), while a tile about the size of the first
// pass's input keeps the fine pass within the first pass's memory. Tiles
// overlap; text cut at a tile edge is joined again from its pieces.
const (
	fineTile    = 1024 // largest tile side, tensor pixels (a multiple of 32)
	fineOverlap = 128  // overlap of neighbouring tiles (a multiple of 32)
)

// tile is a rectangle of the tensor.
type tile struct{ x, y, w, h int }

// span splits n pixels into pieces of at most size that overlap by ov,
// evenly, on multiples of 32 (n is one).
func span(n, size, ov int) [][2]int {
	if n <= size {
		return [][2]int{{0, n}}
	}
	k := int(math.Ceil(float64(n-ov) / float64(size-ov)))
	w := min(size, (n+(k-1)*ov+k-1)/k)
	w = (w + 31) / 32 * 32
	var out [][2]int
	for i := 0; i < k; i++ {
		x := i * (n - w) / (k - 1)
		x = x / 32 * 32
		if i == k-1 {
			x = n - w
		}
		out = append(out, [2]int{x, w})
	}
	return out
}

func tilesOf(w, h int) []tile {
	return tilesIn(tile{0, 0, w, h})
}

// tilesIn tiles the rectangle r (sides multiples of 32) of a tensor.
func tilesIn(r tile) []tile {
	var ts []tile
	for _, ys := range span(r.h, fineTile, fineOverlap) {
		for _, xs := range span(r.w, fineTile, fineOverlap) {
			ts = append(ts, tile{r.x + xs[0], r.y + ys[0], xs[1], ys[1]})
		}
	}
	return ts
}

// roiTile is the rectangle of a w x h tensor that holds the bounding box
// x0,y0-x1,y1 (tensor pixels), its sides rounded up to multiples of 32;
// ok is false when it would be most of the tensor anyway.
func roiTile(w, h int, x0, y0, x1, y1 float64) (tile, bool) {
	r32 := func(v int) int { return (v + 31) / 32 * 32 }
	ax0 := max(0, int(math.Floor(x0)))
	ay0 := max(0, int(math.Floor(y0)))
	rw := min(w, r32(max(32, int(math.Ceil(x1))-ax0)))
	rh := min(h, r32(max(32, int(math.Ceil(y1))-ay0)))
	ax0, ay0 = min(ax0, w-rw), min(ay0, h-rh)
	if ax0 < 0 || ay0 < 0 || rw*rh > w*h/2 {
		return tile{}, false
	}
	return tile{ax0, ay0, rw, rh}, true
}

// cut copies tile tl out of the CHW tensor t.
func cut(t preprocess.Tensor, tl tile, dst []float32) []float32 {
	dst = dst[:0]
	for c := 0; c < 3; c++ {
		plane := t.Data[c*t.W*t.H : (c+1)*t.W*t.H]
		for y := tl.y; y < tl.y+tl.h; y++ {
			dst = append(dst, plane[y*t.W+tl.x:y*t.W+tl.x+tl.w]...)
		}
	}
	return dst
}

// tiledRegion is a region found in one tile, with whether it touches an edge
// of the tile that lies inside the image (where it may have been cut).
type tiledRegion struct {
	models.Region
	tile int
	cut  bool
}

// detectTiles runs d over the given tiles of t (tilesOf: all of it) and
// returns the regions in original coordinates, pieces of cut text joined.
func detectTiles(ctx context.Context, d *models.Detector, t preprocess.Tensor, tiles []tile) ([]models.Region, error) {
	var all []tiledRegion
	var buf []float32
	for i, tl := range tiles {
		buf = cut(t, tl, buf)
		rs, err := d.Detect(ctx, buf, tl.w, tl.h, 1, 1)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			x0, y0, x1, y1 := r.Quad.Bounds()
			const m = 3 // pixels from a tile edge count as touching it
			cutEdge := (x0 < m && tl.x > 0) || (y0 < m && tl.y > 0) ||
				(x1 > float64(tl.w-m) && tl.x+tl.w < t.W) || (y1 > float64(tl.h-m) && tl.y+tl.h < t.H)
			for k := range r.Quad {
				r.Quad[k] = geom.Point{r.Quad[k][0] + float64(tl.x), r.Quad[k][1] + float64(tl.y)}
			}
			all = append(all, tiledRegion{Region: r, tile: i, cut: cutEdge})
		}
	}
	out := joinTiled(all)
	for i := range out {
		out[i].Quad = out[i].Quad.Scale(t.ScaleX, t.ScaleY)
	}
	return out, nil
}

// joinTiled merges the regions of overlapping tiles: a region that a region
// of another tile mostly covers is the same text seen twice (the larger
// one stays), and pieces of one line cut at a tile edge (one of them
// touching the edge, in line with each other and overlapping along it) are
// joined into one region.
func joinTiled(rs []tiledRegion) []models.Region {
	alive := make([]bool, len(rs))
	for i := range alive {
		alive[i] = true
	}
	for changed := true; changed; {
		changed = false
		for i := range rs {
			for j := range rs {
				if i == j || !alive[i] || !alive[j] || rs[i].tile == rs[j].tile {
					continue
				}
				a, b := &rs[i], &rs[j]
				if covered(b.Quad, a.Quad) && a.Quad.Area() >= b.Quad.Area() {
					alive[j] = false
					a.cut = a.cut && b.cut
					changed = true
					continue
				}
				if (a.cut || b.cut) && sameLine(a.Quad, b.Quad) {
					pts := append(a.Quad[:], b.Quad[:]...)
					a.Quad = geom.MinAreaRect(pts).Quad()
					a.Score = max(a.Score, b.Score)
					a.cut = a.cut && b.cut
					alive[j] = false
					changed = true
				}
			}
		}
	}
	var out []models.Region
	for i, r := range rs {
		if alive[i] {
			out = append(out, r.Region)
		}
	}
	return out
}

// covered reports whether most (80%) of inner's bounding box lies inside
// outer's bounding box.
func covered(inner, outer geom.Quad) bool {
	ix0, iy0, ix1, iy1 := inner.Bounds()
	ox0, oy0, ox1, oy1 := outer.Bounds()
	w := min(ix1, ox1) - max(ix0, ox0)
	h := min(iy1, oy1) - max(iy0, oy0)
	if w <= 0 || h <= 0 {
		return false
	}
	return w*h >= 0.8*(ix1-ix0)*(iy1-iy0)
}

// sameLine reports whether a and b are pieces of one text line: parallel,
// of similar height, on one centre line, and overlapping or touching
// along it.
func sameLine(a, b geom.Quad) bool {
	ha, hb := a.Height(), b.Height()
	if ha <= 0 || hb <= 0 || max(ha, hb) > 1.6*min(ha, hb) || a.AngleTo(b) > 8 {
		return false
	}
	h := (ha + hb) / 2
	// Axis along a's reading direction.
	ang := a.Angle() * math.Pi / 180
	ux, uy := math.Cos(ang), math.Sin(ang)
	ca, cb := a.Center(), b.Center()
	dx, dy := cb[0]-ca[0], cb[1]-ca[1]
	if math.Abs(-dx*uy+dy*ux) > 0.45*h {
		return false
	}
	along := math.Abs(dx*ux + dy*uy)
	return along <= (a.Width()+b.Width())/2+0.3*h
}
