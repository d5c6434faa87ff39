package mrz
import ("testing";"fmt")
func TestScratch2(t *testing.T){
 in := []string{"POHMDNOYA<<SENONLO<<<<<<<<<<<<<<<<<<<<<<<<<<", "DN02180O72GBR1912249<22071022282238238<<<<24"}
  cells,_ := prepare(textLines(in))
  for _, a := range attempts(cells) {
   s := newSolver(a.l, a.cells, 8)
   for i := range a.l.checks {
    if a.l.checks[i].name == "composite" { continue }
    g := &group{chk: &a.l.checks[i]}
    g.ps = s.groupPositions(g.chk)
    s.enumerate(g, map[pos]int{})
    for _, c := range g.cands { fmt.Println(a.l.checks[i].name, string(c.set), c.cost, c.ok, c.edits) }
   }
   extra, amb := s.solve()
   fmt.Println(a.l.name, extra, amb)
  }
}
