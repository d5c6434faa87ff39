#include "choices.h"

#include <cstring>
#include <map>
#include <string>
#include <tesseract/ltrresultiterator.h>
#include <tesseract/resultiterator.h>

extern "C" int docscan_symbol_choices(TessResultIterator *it, char (*chars)[8], float *probs, int n) {
  if (it == nullptr || n <= 0) {
    return 0;
  }
  tesseract::ChoiceIterator ci(*reinterpret_cast<tesseract::LTRResultIterator *>(it));
  std::vector<std::vector<std::pair<const char *, float>>> *ts = ci.Timesteps();
  if (ts == nullptr) {
    return 0;
  }
  std::map<std::string, float> best;
  for (const auto &step : *ts) {
    for (const auto &c : step) {
      // The CTC blank and the space are no characters of the line.
      if (c.first == nullptr || c.first[0] == 0 || std::strcmp(c.first, " ") == 0) {
        continue;
      }
      float &p = best[c.first];
      if (c.second > p) {
        p = c.second;
      }
    }
  }
  int k = 0;
  while (k < n && !best.empty()) {
    auto top = best.begin();
    for (auto i = best.begin(); i != best.end(); ++i) {
      if (i->second > top->second) {
        top = i;
      }
    }
    std::strncpy(chars[k], top->first.c_str(), 7);
    chars[k][7] = 0;
    probs[k] = top->second;
    best.erase(top);
    k++;
  }
  return k;
}
