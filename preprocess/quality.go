package preprocess

import (
	"image"
	"math"

	"gocv.io/x/gocv"
)

// Quality holds capture-quality figures measured on a ~1024-pixel gray view.
type Quality struct {
	Sharpness  float64 // standard deviation of the Laplacian
	Blur       float64 // 0 sharp .. 1 very blurry, from Sharpness
	Glare      float64 // fraction of saturated pixels
	Brightness float64 // mean gray level 0..255
	Contrast   float64 // gray standard deviation
}

// Measure computes the quality figures. It is cheap (a few ms).
func (f *Frame) Measure() Quality {
	w, h := f.img.Cols(), f.img.Rows()
	s := math.Min(1, 1024/float64(max(w, h)))
	small := gocv.NewMat()
	defer small.Close()
	areaResize(f.img, &small, image.Pt(max(1, int(float64(w)*s)), max(1, int(float64(h)*s))))
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(small, &gray, gocv.ColorBGRToGray)

	lap := gocv.NewMat()
	defer lap.Close()
	// 16-bit integers hold the 3x3 Laplacian of 8-bit gray exactly
	// (-1020..1020); its deviation is computed in doubles as before.
	gocv.Laplacian(gray, &lap, gocv.MatTypeCV16S, 1, 1, 0, gocv.BorderDefault)
	mean, dev := gocv.NewMat(), gocv.NewMat()
	defer mean.Close()
	defer dev.Close()
	gocv.MeanStdDev(lap, &mean, &dev)
	sharp := dev.GetDoubleAt(0, 0)
	gocv.MeanStdDev(gray, &mean, &dev)
	q := Quality{
		Sharpness:  sharp,
		Brightness: mean.GetDoubleAt(0, 0),
		Contrast:   dev.GetDoubleAt(0, 0),
	}
	// A sharp photo has a Laplacian deviation well above 15 at this scale.
	q.Blur = math.Max(0, math.Min(1, 1-(sharp-4)/16))
	sat := gocv.NewMat()
	defer sat.Close()
	gocv.Threshold(gray, &sat, 250, 255, gocv.ThresholdBinary)
	q.Glare = float64(gocv.CountNonZero(sat)) / float64(gray.Rows()*gray.Cols())
	return q
}
