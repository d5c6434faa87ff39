// choices.h: the LSTM's per-character probabilities, which Tesseract's C API
// clips (choice confidences below about 7% read 0).
#ifndef DOCSCAN_OCR_CHOICES_H
#define DOCSCAN_OCR_CHOICES_H
#include <tesseract/capi.h>
#ifdef __cplusplus
extern "C" {
#endif
// docscan_symbol_choices writes up to n alternatives of the iterator's
// current symbol: chars[i] (NUL-terminated, at most 7 bytes) and probs[i],
// the highest probability the character has at any of the symbol's LSTM
// time steps (raw network output: the CTC blank and the space are left out,
// a whitelist is not applied). It returns how many it wrote (0 when Tesseract has none).
int docscan_symbol_choices(TessResultIterator *it, char (*chars)[8], float *probs, int n);
#ifdef __cplusplus
}
#endif
#endif
