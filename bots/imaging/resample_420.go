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
	pair := func(j int) (int, int) { return 2 * j, min(2*j+1, n-1) }
	stride := 0
	for j := range m {
		a, b := pair(j)
		lo := min(f.start[a], f.start[b])
		hi := max(f.start[a]+f.count[a], f.start[b]+f.count[b])
		stride = max(stride, hi-lo)
	}
	h := filter{
		stride: stride,
		start:  make([]int, m),
		count:  make([]int, m),
		weight: make([]float32, m*stride),
		fixed:  make([]int32, m*stride),
	}
	ws := make([]float64, stride)
	for j := range m {
		a, b := pair(j)
		lo := min(f.start[a], f.start[b])
		hi := max(f.start[a]+f.count[a], f.start[b]+f.count[b])
		clear(ws)
		for _, i := range [2]int{a, b} {
			for k, w := range f.weight[i*f.stride : i*f.stride+f.count[i]] {
				ws[f.start[i]-lo+k] += float64(w) / 2
			}
		}
		total := 0.0
		for _, w := range ws[:hi-lo] {
			total += w
		}
		h.start[j], h.count[j] = lo, hi-lo
		for k, w := range ws[:hi-lo] {
			h.weight[j*stride+k] = float32(w / total)
		}
		fixWeights(h.fixed[j*stride:j*stride+hi-lo], ws[:hi-lo], total)
	}
	return h
}
