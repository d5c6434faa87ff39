package cellnet

import (
	"errors"
	"math"
	"math/rand"
	"sync"
)

// TrainOptions configure Train.
type TrainOptions struct {
	Epochs  int     // passes over the samples
	Batch   int     // samples per step
	LR      float64 // Adam's step size at the start (cosine decay to 0)
	Decay   float64 // L2 weight decay (decoupled, per step, times LR)
	Seed    int64   // sample order
	Workers int     // goroutines sharing each batch (the result does not depend on it)
	// Epoch, if set, is called after each epoch with its mean loss.
	Epoch func(epoch int, loss float64)
}

// Train fits the net to prepared inputs xs with class indices ys by Adam
// on the cross-entropy loss. Each batch is cut into fixed chunks whose
// gradients are summed in chunk order, so the weights do not depend on
// the number of workers.
func (n *Net) Train(xs [][]float32, ys []int, o TrainOptions) error {
	if len(xs) != len(ys) || len(xs) == 0 {
		return errors.New("cellnet: samples and labels differ in number or are none")
	}
	for i, x := range xs {
		if len(x) != n.Sizes[0] || ys[i] < 0 || ys[i] >= n.Sizes[len(n.Sizes)-1] {
			return errors.New("cellnet: a sample does not fit the net")
		}
	}
	if o.Batch < 1 {
		o.Batch = 64
	}
	if o.Workers < 1 {
		o.Workers = 1
	}
	const chunks = 4 // per batch, each a fixed share of it
	type grads struct {
		w, b [][]float32
		acts [][]float32
		dl   [][]float32
		loss float64
	}
	newGrads := func() *grads {
		g := &grads{}
		for l := range n.W {
			g.w = append(g.w, make([]float32, len(n.W[l])))
			g.b = append(g.b, make([]float32, len(n.B[l])))
		}
		for _, s := range n.Sizes {
			g.dl = append(g.dl, make([]float32, s))
		}
		return g
	}
	gs := make([]*grads, chunks)
	for i := range gs {
		gs[i] = newGrads()
	}
	// Adam's moments
	mw, vw := zerosLike(n.W), zerosLike(n.W)
	mb, vb := zerosLike(n.B), zerosLike(n.B)
	const beta1, beta2 = 0.9, 0.999
	rng := rand.New(rand.NewSource(o.Seed))
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	steps := o.Epochs * ((len(xs) + o.Batch - 1) / o.Batch)
	step := 0
	for ep := 0; ep < o.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var epLoss float64
		for at := 0; at < len(order); at += o.Batch {
			batch := order[at:min(at+o.Batch, len(order))]
			var wg sync.WaitGroup
			sem := make(chan struct{}, o.Workers)
			for c := 0; c < chunks; c++ {
				lo, hi := c*len(batch)/chunks, (c+1)*len(batch)/chunks
				wg.Add(1)
				sem <- struct{}{}
				go func(g *grads, part []int) {
					defer wg.Done()
					defer func() { <-sem }()
					g.loss = 0
					for l := range g.w {
						clear(g.w[l])
						clear(g.b[l])
					}
					for _, i := range part {
						g.loss += n.backprop(g.w, g.b, &g.acts, g.dl, xs[i], ys[i])
					}
				}(gs[c], batch[lo:hi])
			}
			wg.Wait()
			for c := 1; c < chunks; c++ {
				for l := range gs[0].w {
					addTo(gs[0].w[l], gs[c].w[l])
					addTo(gs[0].b[l], gs[c].b[l])
				}
				gs[0].loss += gs[c].loss
			}
			epLoss += gs[0].loss
			step++
			lr := o.LR * 0.5 * (1 + math.Cos(math.Pi*float64(step-1)/float64(steps)))
			scale := 1 / float32(len(batch))
			c1 := 1 - math.Pow(beta1, float64(step))
			c2 := 1 - math.Pow(beta2, float64(step))
			for l := range n.W {
				adam(n.W[l], gs[0].w[l], mw[l], vw[l], scale, lr, c1, c2, o.Decay)
				adam(n.B[l], gs[0].b[l], mb[l], vb[l], scale, lr, c1, c2, 0)
			}
		}
		if o.Epoch != nil {
			o.Epoch(ep, epLoss/float64(len(xs)))
		}
	}
	return nil
}

// backprop adds the gradient of sample (x, y)'s loss to gw, gb and returns
// the loss.
func (n *Net) backprop(gw, gb [][]float32, acts *[][]float32, dl [][]float32, x []float32, y int) float64 {
	*acts = n.forward(x, *acts)
	a := *acts
	last := len(n.W)
	p := softmax(a[last])
	loss := -math.Log(math.Max(p[y], 1e-12))
	d := dl[last]
	for j := range d {
		d[j] = float32(p[j])
	}
	d[y]--
	for l := last - 1; l >= 0; l-- {
		in := a[l]
		k := len(in)
		w := n.W[l]
		d := dl[l+1]
		for j, dj := range d {
			if dj == 0 {
				continue
			}
			gb[l][j] += dj
			row := gw[l][j*k : (j+1)*k]
			for i, v := range in {
				row[i] += dj * v
			}
		}
		if l == 0 {
			break
		}
		prev := dl[l]
		clear(prev)
		for j, dj := range d {
			if dj == 0 {
				continue
			}
			row := w[j*k : (j+1)*k]
			for i := range prev {
				prev[i] += dj * row[i]
			}
		}
		for i := range prev {
			if in[i] <= 0 {
				prev[i] = 0
			}
		}
	}
	return loss
}

func adam(w, g, m, v []float32, scale float32, lr, c1, c2, decay float64) {
	const beta1, beta2, eps = 0.9, 0.999, 1e-8
	for i := range w {
		gi := float64(g[i] * scale)
		m[i] = float32(beta1*float64(m[i]) + (1-beta1)*gi)
		v[i] = float32(beta2*float64(v[i]) + (1-beta2)*gi*gi)
		mh := float64(m[i]) / c1
		vh := float64(v[i]) / c2
		w[i] -= float32(lr * (mh/(math.Sqrt(vh)+eps) + decay*float64(w[i])))
	}
}

func addTo(dst, src []float32) {
	for i, v := range src {
		dst[i] += v
	}
}

func zerosLike(x [][]float32) [][]float32 {
	out := make([][]float32, len(x))
	for i := range x {
		out[i] = make([]float32, len(x[i]))
	}
	return out
}
