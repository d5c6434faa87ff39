package mrz

import "strings"

// iso3166 holds the ISO 3166-1 alpha-3 codes used by ICAO 9303 Part 3.
const iso3166 = "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE"

// icaoExtra holds the codes ICAO 9303 Part 3 adds to ISO 3166-1: Germany's
// one-letter code, British nationals, UN and other organisations, refugees
// and stateless persons, Kosovo, the EU and historical codes still seen.
const icaoExtra = "D<< GBD GBN GBO GBP GBS UNO UNA UNK XXA XXB XXC XXX EUE RKS XBA XIM XCC XCE XCO XEC XPO XES XMP XOM XDC ANT NTZ"

// specimenCodes are the fictional states of ICAO and issuer specimens.
const specimenCodes = "UTO"

var countrySet, specimenSet = func() (map[string]bool, map[string]bool) {
	m := map[string]bool{}
	for _, c := range strings.Fields(iso3166 + " " + icaoExtra) {
		m[c] = true
	}
	s := map[string]bool{}
	for _, c := range strings.Fields(specimenCodes) {
		s[c] = true
	}
	return m, s
}()

// ValidCountry reports whether code (3 characters, fillers included, as in
// the MRZ, e.g. "D<<" or "DEU") is an ICAO 9303 state or organisation code,
// or the ICAO specimen state "UTO".
func ValidCountry(code string) bool {
	return countrySet[code] || specimenSet[code]
}

// countryISO maps MRZ-only codes to the ISO 3166-1 alpha-3 code of the state.
func countryISO(code string) string {
	switch code {
	case "D", "D<<":
		return "DEU"
	case "GBD", "GBN", "GBO", "GBP", "GBS":
		return "GBR"
	}
	return ""
}
