package mrz
import ("testing";"fmt";"math/rand";"strings";"sort")
func fieldAt(l *layout, line, col int) string {
 if l == nil { return "NIL" }
 name := "?"
 for _, f := range l.fields { if f.line==line && col>=f.start && col<f.end { name = f.name } }
 for _, c := range l.checks { if c.line==line && c.pos==col { name = "cd:"+c.name } }
 return name
}
func TestScratch(t *testing.T){
 rng := rand.New(rand.NewSource(77))
 agg := map[string]int{}
 ex := map[string]string{}
 for i:=0;i<6000;i++{
  f := genFormats[i%len(genFormats)]
  if f.name == "DL1" { f.gen(rng); continue }
  orig := f.gen(rng)
  var cur []string; var what string
  for try:=0;;try++{
    cur, what = corrupt(rng, orig, map[[2]int]bool{})
    if try<20 && sameLen(cur, orig) && (wellFormedDiff(orig, orig, cur) || wellFormed(cur)) { continue }
    break
  }
  r, err := Read(cur, Options{Now: benchNow})
  ok := err==nil && r.Valid && strings.Join(r.Lines,"|")==strings.Join(orig,"|")
  if ok {continue}
  out := "INV"
  if err==nil && r.Valid { out = "FA" }
  key := ""
  var ln, col int
  var a, b byte
  if n, _ := fmt.Sscanf(what, "L%dC%d %c>%c", &ln, &col, &a, &b); n == 4 {
    l := layoutFor(f.name, orig[0])
    key = fmt.Sprintf("%s %s %s", out, f.name, fieldAt(l, ln-1, col-1))
  } else { key = out+" "+f.name+" "+what }
  agg[key]++
  if err == nil { ex[key] = fmt.Sprintf("%q -> %q %v %v", cur, r.Lines, failing(r), r.Corrections) }
 }
 var keys []string
 for k := range agg { keys = append(keys, k) }
 sort.Slice(keys, func(i,j int) bool { return agg[keys[i]] > agg[keys[j]] })
 for _, k := range keys[:min(len(keys),14)] { fmt.Println(agg[k], k, "\n    ", ex[k]) }
}
