package imaging

// A JPEG made by the encoder keeps chroma at 4:2:0: given a 4:4:4 image,
// it averages each 2×2 block of chroma samples, the right and bottom
// edges of an odd-sized image replicated (fastjpeg's scale). Scaling the
// chroma planes to the full output size only for the encoder to average
// them computes four times the chroma samples the file keeps. A 4:2:0
// output instead filters the source's chroma straight to the averages:
// the 2×2 box composed with the Catmull-Rom filter is itself a separable
// filter, each axis's weights the mean of two neighbouring output
// samples' weights. Each chroma sample is centred on its 2×2 block of
// luma, as JFIF places it, and it is the average the encoder would take
// of the 4:4:4 output, rounded once instead of twice.

// halveFilter returns the filter onto (n+1)/2 samples, n = len(f.start),
// whose sample j is the mean of f's samples 2j and 2j+1 (sample 2j alone
// for the last of an odd n, as the encoder replicates the edge).
func halveFilter(f filter) filter {
	n := len(f.start)
	m := (n + 1) / 2
	// span returns sample j's pair of f's samples and the source samples
	// they read together.
	span := func(j int) (a, b, lo, hi int) {
		a, b = 2*j, min(2*j+1, n-1)
		return a, b, min(f.start[a], f.start[b]), max(f.start[a]+f.count[a], f.start[b]+f.count[b])
	}
	stride := 0
	for j := range m {
		_, _, lo, hi := span(j)
		stride = max(stride, hi-lo)
	}
	h := makeFilter(m, stride)
	ws := make([]float64, stride)
	for j := range m {
		a, b, lo, hi := span(j)
		clear(ws)
		for _, i := range [2]int{a, b} {
			for k, w := range f.weight[i*f.stride : i*f.stride+f.count[i]] {
				ws[f.start[i]-lo+k] += float64(w) / 2
			}
		}
		h.set(j, lo, ws[:hi-lo])
	}
	return h
}
