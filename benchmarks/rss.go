package benchmarks

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// PeakRSS returns the process's peak resident set size in bytes and where it
// came from: "VmHWM" from /proc/self/status (Linux), else "go-sys" (memory
// the Go runtime obtained from the OS, which misses native allocations).
// ok is false when neither is known.
func PeakRSS() (bytes int64, source string, ok bool) {
	if kb, found := procStatusKB("/proc/self/status", "VmHWM"); found {
		return kb << 10, "VmHWM", true
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.Sys > 0 {
		return int64(ms.Sys), "go-sys", true
	}
	return 0, "", false
}

// ResetPeakRSS asks Linux to reset VmHWM to the current RSS (writing 5 to
// /proc/self/clear_refs), so that each set reports its own peak. It reports
// whether that worked; when it did not, peaks are since process start.
func ResetPeakRSS() bool {
	f, err := os.OpenFile("/proc/self/clear_refs", os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	_, werr := f.WriteString("5")
	cerr := f.Close()
	return werr == nil && cerr == nil
}

// procStatusKB reads a "Key:   123 kB" line of a /proc status file.
func procStatusKB(path, key string) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		rest, found := strings.CutPrefix(line, key+":")
		if !found {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0, false
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, false
		}
		if len(fields) > 1 && !strings.EqualFold(fields[1], "kB") {
			return 0, false
		}
		return n, true
	}
	return 0, false
}
