package scan

import "reflect"

// KindOf returns the "kind" of a record (mrz, plate, document, text): the
// Kind field every record type carries, or the "kind" key of a decoded
// map; "unknown" otherwise.
func KindOf(rec Record) string {
	if mp, ok := rec.(map[string]any); ok {
		if k, ok := mp["kind"].(string); ok {
			return k
		}
		return "unknown"
	}
	v := reflect.ValueOf(rec)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "unknown"
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("Kind"); f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return "unknown"
}
