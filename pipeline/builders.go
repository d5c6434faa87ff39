package pipeline

// DefaultBuilders returns the record builders registered by default, in
// output order. The MRZ, plate and document builders register here.
func DefaultBuilders() []Builder {
	return []Builder{MRZBuilder{}, PlateBuilder{}, DocumentBuilder{}}
}
