module docscan

go 1.26.0

require (
	github.com/disintegration/imaging v1.6.2
	github.com/otiai10/gosseract/v2 v2.4.1
	github.com/yalue/onnxruntime_go v1.27.0
	gocv.io/x/gocv v0.31.0
	golang.org/x/image v0.48.0
)

require (
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
