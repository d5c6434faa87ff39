package documents

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"docscan/plates"
)

// Lexicons. A birth place or an issuing authority blur or a small print
// made unsure letters of is one of a known list more often than not: the
// places of the German district table (plates.Places), German names of
// foreign cities many holders of German papers were born in, French
// cities (the départements' préfectures and the largest communes), and
// the authorities that issue driving licences, named by their place
// after a word for the body (Stadt Köln, Landkreis Göttingen,
// Landratsamt Erding, Préfecture de Metz); and the common given names and
// surnames of names.go, a name weighed word by word. The pipeline weighs the
// entries near a reading (LexiconNear) against the recognizer's output
// for its line, and takes one only where the output bears it about as
// well as what was read: a lexicon entry never replaces a reading the
// recognizer was sure of.

// foreignPlaces are cities abroad as German papers write them (their
// German names where they have one), among the commonest birth places of
// people living in Germany.
var foreignPlaces = []string{
	"Istanbul", "Ankara", "Izmir", "Adana", "Konya", "Antalya", "Bursa", "Kayseri", "Trabzon", "Gaziantep",
	"Warschau", "Krakau", "Danzig", "Breslau", "Posen", "Stettin", "Kattowitz", "Oppeln", "Gleiwitz", "Lodz",
	"Moskau", "Sankt Petersburg", "Kiew", "Odessa", "Charkiw", "Minsk", "Nowosibirsk", "Omsk", "Almaty", "Karaganda",
	"Bukarest", "Temeswar", "Klausenburg", "Hermannstadt", "Kronstadt", "Sofia", "Belgrad", "Zagreb", "Sarajevo",
	"Skopje", "Pristina", "Tirana", "Budapest", "Prag", "Brünn", "Pressburg", "Wien", "Graz", "Linz", "Salzburg",
	"Innsbruck", "Zürich", "Basel", "Bern", "Genf", "Rom", "Mailand", "Neapel", "Turin", "Palermo", "Venedig",
	"Florenz", "Athen", "Thessaloniki", "Madrid", "Barcelona", "Lissabon", "Porto", "Amsterdam", "Rotterdam",
	"Brüssel", "Antwerpen", "Luxemburg", "Kopenhagen", "Stockholm", "Oslo", "Helsinki", "London", "Dublin",
	"Damaskus", "Aleppo", "Homs", "Bagdad", "Mossul", "Erbil", "Teheran", "Kabul", "Beirut", "Kairo",
	"Tunis", "Casablanca", "Algier", "Lagos", "Accra", "Nairobi", "Asmara", "Mogadischu", "New York", "Peking",
	"Schanghai", "Hanoi", "Bangkok", "Manila", "Neu-Delhi", "Mumbai", "Karatschi", "Lahore", "Tiflis", "Eriwan", "Baku",
}

// frenchPlaces are the préfectures of the French départements and the
// largest French communes.
var frenchPlaces = []string{
	"Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg", "Bordeaux", "Lille",
	"Rennes", "Reims", "Toulon", "Saint-Étienne", "Le Havre", "Grenoble", "Dijon", "Angers", "Nîmes", "Villeurbanne",
	"Clermont-Ferrand", "Le Mans", "Aix-en-Provence", "Brest", "Tours", "Amiens", "Limoges", "Annecy", "Perpignan",
	"Boulogne-Billancourt", "Metz", "Besançon", "Orléans", "Saint-Denis", "Argenteuil", "Rouen", "Mulhouse",
	"Montreuil", "Caen", "Nancy", "Roubaix", "Tourcoing", "Nanterre", "Vitry-sur-Seine", "Avignon", "Créteil",
	"Dunkerque", "Poitiers", "Asnières-sur-Seine", "Versailles", "Courbevoie", "Colombes", "Aulnay-sous-Bois",
	"Pau", "Rueil-Malmaison", "Calais", "Antibes", "Cannes", "Béziers", "Colmar", "Bourges", "Mérignac",
	"Bourg-en-Bresse", "Laon", "Moulins", "Digne-les-Bains", "Gap", "Privas", "Charleville-Mézières", "Foix",
	"Troyes", "Carcassonne", "Rodez", "Aurillac", "Angoulême", "La Rochelle", "Tulle", "Ajaccio", "Bastia",
	"Saint-Brieuc", "Guéret", "Périgueux", "Valence", "Évreux", "Chartres", "Quimper", "Auch", "Châteauroux",
	"Lons-le-Saunier", "Mont-de-Marsan", "Blois", "Saint-Étienne", "Le Puy-en-Velay", "Cahors", "Agen", "Mende",
	"Saint-Lô", "Châlons-en-Champagne", "Chaumont", "Laval", "Bar-le-Duc", "Vannes", "Nevers", "Beauvais",
	"Alençon", "Arras", "Tarbes", "Vesoul", "Mâcon", "Chambéry", "Melun", "Niort", "Montauban", "Albi",
	"La Roche-sur-Yon", "Épinal", "Auxerre", "Belfort", "Évry-Courcouronnes", "Bobigny", "Cergy", "Pontoise",
	"Basse-Terre", "Fort-de-France", "Cayenne", "Mamoudzou", "Saint-Pierre", "Lorient", "Saint-Nazaire",
	"Saint-Malo", "Bayonne", "Biarritz", "Chalon-sur-Saône", "Cherbourg", "Dieppe", "Valenciennes", "Douai",
}

// authorityHeads are the words German licensing authorities are named by
// before their place (the district table's names of whole districts,
// Kreis Borken or Rhein-Sieg-Kreis, are authorities as they stand).
var authorityHeads = []string{
	"Stadt", "Landkreis", "Kreis", "Landratsamt", "Landeshauptstadt", "Bezirksamt", "Stadtverwaltung",
	"Kreisverwaltung", "Hansestadt", "Universitätsstadt", "Große Kreisstadt",
}

// berlinDistricts are Berlin's boroughs, whose Bezirksämter issue its
// licences.
var berlinDistricts = []string{
	"Mitte", "Friedrichshain-Kreuzberg", "Pankow", "Charlottenburg-Wilmersdorf", "Spandau",
	"Steglitz-Zehlendorf", "Tempelhof-Schöneberg", "Neukölln", "Treptow-Köpenick", "Marzahn-Hellersdorf",
	"Lichtenberg", "Reinickendorf",
}

// lexEntry is a lexicon entry with its folded letters (joined).
type lexEntry struct{ key, text string }

var (
	lexOnce sync.Once
	lexBy   map[string][]lexEntry // "birth_place", "issuing_authority DE", "issuing_authority FR", "given_names", "surname"
)

func lexicons() map[string][]lexEntry {
	lexOnce.Do(func() {
		places := append(append(append([]string{}, plates.Places()...), foreignPlaces...), frenchPlaces...)
		var de []string
		for _, p := range plates.Places() {
			de = append(de, p)
			for _, h := range authorityHeads {
				de = append(de, h+" "+p)
			}
		}
		for _, b := range berlinDistricts {
			de = append(de, "Bezirksamt "+b)
		}
		var fr []string
		for _, p := range frenchPlaces {
			fr = append(fr, "Préfecture de "+p)
		}
		lexBy = map[string][]lexEntry{
			"birth_place":          entries(places),
			"issuing_authority DE": entries(de),
			"issuing_authority FR": entries(fr),
			"given_names":          entries(givenNames),
			"surname":              entries(surnames),
		}
	})
	return lexBy
}

// entries are the texts' lexicon entries, each text once, sorted by key.
func entries(texts []string) []lexEntry {
	seen := map[string]bool{}
	var out []lexEntry
	for _, t := range texts {
		if seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, lexEntry{joined(t), t})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].key != out[j].key {
			return out[i].key < out[j].key
		}
		return out[i].text < out[j].text
	})
	return out
}

// lexiconOf is the lexicon of field name on a document of the type and
// country (nil: none).
func lexiconOf(docType, country, name string) []lexEntry {
	switch {
	case name == "birth_place" && (docType == IDCard || docType == DrivingLicence || docType == Passport):
		return lexicons()["birth_place"]
	case name == "issuing_authority" && docType == DrivingLicence && (country == "DE" || country == "FR"):
		return lexicons()["issuing_authority "+country]
	case name == "given_names" && (docType == IDCard || docType == DrivingLicence || docType == Passport):
		return lexicons()["given_names"]
	case (name == "surname" || name == "birth_name") && (docType == IDCard || docType == DrivingLicence || docType == Passport):
		return lexicons()["surname"]
	}
	return nil
}

// lexNearShare is the most edits between a reading's folded letters and an
// entry's, as a share of the reading's letters, for the entry to be near
// it (LexiconNear); lexNearMin letters are needed.
const (
	lexNearShare = 0.34
	lexNearMin   = 3
)

// LexiconNear lists the entries of field name's lexicon (for the document
// type and country) whose folded letters lie within lexNearShare of v's
// letters in edits, written in capitals where v was read in capitals. in
// reports whether v's letters are an entry's: then nothing is listed.
func LexiconNear(docType, country, name, v string) (near []string, in bool) {
	lex := lexiconOf(docType, country, name)
	k := joined(v)
	n := len([]rune(k))
	if lex == nil || n < lexNearMin {
		return nil, false
	}
	i := sort.Search(len(lex), func(i int) bool { return lex[i].key >= k })
	if i < len(lex) && lex[i].key == k {
		return nil, true
	}
	most := max(1, int(lexNearShare*float64(n)))
	upper := strings.ToUpper(v) == v && strings.IndexFunc(v, unicode.IsLetter) >= 0
	for _, e := range lex {
		if d := len([]rune(e.key)) - n; d > most || d < -most {
			continue
		}
		if editDistance(k, e.key) > most {
			continue
		}
		t := e.text
		if upper {
			t = strings.ToUpper(t)
		}
		near = append(near, t)
	}
	return near, false
}
