package documents

// Name lexicons. A holder's names are an open set, but most are among a
// few hundred given names and surnames common in Germany and France (the
// countries whose papers the project reads in full), and blur or glare
// that costs a name a letter (GONTER for GÜNTER, JÜRGE for JÜRGEN) leaves
// one of them near the reading. The pipeline weighs each word of a name
// against these lists the way it weighs places (LexiconNear, then the
// recognizer's output): a word read sure, or one that is an entry, stays
// as read, so a rare name is never bent into a common one unless the
// recognizer could not tell them apart.

// givenNames are given names common among holders of German and French
// papers: German ones across the holders' birth years, those of the
// larger immigrant groups (Turkish, Arabic, Polish, Russian, Italian,
// Greek, Vietnamese) and French ones.
var givenNames = []string{
	// German, men
	"Achim", "Adrian", "Albert", "Alexander", "Alfred", "Andreas", "Anton", "Armin", "Arne", "Arno", "Arthur",
	"August", "Axel", "Ben", "Benedikt", "Benjamin", "Bernd", "Bernhard", "Björn", "Bruno", "Carl", "Carsten",
	"Christian", "Christoph", "Claus", "Daniel", "David", "Dennis", "Detlef", "Dieter", "Dirk", "Dominik",
	"Eberhard", "Edgar", "Egon", "Elias", "Emil", "Erich", "Erik", "Ernst", "Erwin", "Eugen", "Fabian", "Felix",
	"Finn", "Florian", "Frank", "Franz", "Friedhelm", "Friedrich", "Fritz", "Georg", "Gerd", "Gerhard", "Gernot",
	"Gottfried", "Gregor", "Günter", "Günther", "Gustav", "Hagen", "Hannes", "Hans", "Harald", "Hartmut", "Heiko",
	"Heinrich", "Heinz", "Helmut", "Henning", "Henrik", "Herbert", "Hermann", "Holger", "Horst", "Hubert",
	"Hugo", "Ingo", "Jakob", "Jan", "Jannik", "Jens", "Joachim", "Jochen", "Johann", "Johannes", "Jonas",
	"Jonathan", "Jörg", "Josef", "Julian", "Julius", "Jürgen", "Justus", "Kai", "Karl", "Karsten", "Kevin",
	"Klaus", "Konrad", "Kurt", "Lars", "Leon", "Leonard", "Leonhard", "Linus", "Lothar", "Ludwig", "Lukas",
	"Lutz", "Malte", "Manfred", "Marcel", "Marcus", "Mario", "Marko", "Markus", "Martin", "Mathias", "Matthias",
	"Max", "Maximilian", "Michael", "Mike", "Moritz", "Niklas", "Nico", "Niko", "Noah", "Norbert", "Olaf",
	"Oliver", "Oskar", "Otto", "Pascal", "Patrick", "Paul", "Peter", "Philipp", "Rainer", "Ralf", "Ralph",
	"Reinhard", "Reinhold", "Richard", "Robert", "Roland", "Rolf", "Rudolf", "Rüdiger", "Sascha", "Sebastian",
	"Siegfried", "Simon", "Stefan", "Steffen", "Stephan", "Sven", "Theo", "Thomas", "Thorsten", "Tilo", "Tim",
	"Timo", "Tobias", "Tom", "Torsten", "Udo", "Ulf", "Ulrich", "Uwe", "Valentin", "Viktor", "Volker", "Walter",
	"Werner", "Wilfried", "Wilhelm", "Willi", "Wolfgang", "Yannick",
	// German, women
	"Agnes", "Andrea", "Angela", "Angelika", "Anita", "Anja", "Anke", "Anna", "Anne", "Annegret", "Anneliese",
	"Annette", "Antje", "Astrid", "Barbara", "Bärbel", "Beate", "Bettina", "Bianca", "Birgit", "Brigitte",
	"Britta", "Carina", "Carla", "Carolin", "Charlotte", "Christa", "Christel", "Christiane", "Christina",
	"Christine", "Claudia", "Clara", "Cornelia", "Dagmar", "Daniela", "Doris", "Dorothea", "Edith", "Elfriede",
	"Elisabeth", "Ella", "Elke", "Emilia", "Emma", "Erika", "Erna", "Eva", "Franziska", "Frieda", "Gabriele",
	"Gerda", "Gertrud", "Gisela", "Greta", "Gudrun", "Hannah", "Hanna", "Hannelore", "Heidi", "Heike", "Helga",
	"Helene", "Hildegard", "Ida", "Ilse", "Inge", "Ingeborg", "Ingrid", "Irene", "Iris", "Irmgard", "Jana",
	"Janina", "Jasmin", "Johanna", "Josephine", "Julia", "Jutta", "Karin", "Katharina", "Kathrin", "Katja",
	"Kerstin", "Klara", "Lara", "Laura", "Lea", "Lena", "Leonie", "Lina", "Lisa", "Luisa", "Luise", "Maja",
	"Manuela", "Margarete", "Maria", "Marie", "Marion", "Marlene", "Martha", "Martina", "Melanie", "Mia",
	"Michaela", "Mila", "Monika", "Nadine", "Natalie", "Nicole", "Nina", "Paula", "Petra", "Regina", "Renate",
	"Rita", "Rosemarie", "Ruth", "Sabine", "Sandra", "Sara", "Sarah", "Silke", "Simone", "Sofia", "Sonja",
	"Sophia", "Sophie", "Stefanie", "Susanne", "Svenja", "Tanja", "Theresa", "Ulrike", "Ursula", "Ute",
	"Vanessa", "Vera", "Waltraud", "Yvonne", "Zoe",
	// Turkish, Arabic, Kurdish
	"Adem", "Ahmad", "Ahmed", "Ahmet", "Ali", "Amir", "Ayse", "Aylin", "Burak", "Cem", "Deniz", "Elif", "Emine",
	"Emre", "Fatih", "Fatima", "Fatma", "Hakan", "Hasan", "Hatice", "Hüseyin", "Ibrahim", "Ismail", "Kemal",
	"Kerem", "Khaled", "Leyla", "Mahmoud", "Mehmet", "Merve", "Mohamed", "Mohammad", "Mohammed", "Murat",
	"Mustafa", "Omar", "Ömer", "Osman", "Selin", "Serkan", "Yasemin", "Yusuf", "Zeynep",
	// Polish, Russian, Ukrainian
	"Agnieszka", "Aleksandr", "Alexej", "Andrzej", "Dmitri", "Ewa", "Irina", "Jacek", "Jelena", "Katarzyna",
	"Krzysztof", "Maciej", "Magdalena", "Marek", "Natalia", "Olga", "Pawel", "Piotr", "Sergej", "Swetlana",
	"Tatjana", "Tomasz", "Wladimir", "Wojciech",
	// Italian, Greek, Balkan, Vietnamese
	"Alessandro", "Antonio", "Dimitrios", "Francesco", "Georgios", "Giovanni", "Giuseppe", "Goran", "Luca",
	"Marco", "Nikolaos", "Stefano", "Zoran", "Anh", "Linh", "Minh", "Thanh", "Tuan",
	// French
	"Adèle", "Alain", "Alexandre", "Alice", "Amandine", "André", "Antoine", "Aurélie", "Bernard", "Camille",
	"Catherine", "Céline", "Chloé", "Christophe", "Clément", "Clémence", "Élodie", "Émile", "Émilie", "Éric",
	"Françoise", "François", "Frédéric", "Gabriel", "Guillaume", "Inès", "Isabelle", "Jacques", "Jade", "Jean",
	"Jules", "Julie", "Julien", "Juliette", "Laurent", "Léa", "Léo", "Louis", "Louise", "Lucas", "Lucie", "Manon",
	"Margaux", "Mathieu", "Mathilde", "Maxime", "Michel", "Monique", "Nathalie", "Nathan", "Nicolas", "Olivier",
	"Pauline", "Philippe", "Pierre", "Raphaël", "Romain", "Rose", "Sandrine", "Sébastien", "Stéphane", "Sylvie",
	"Théo", "Valérie",
}

// surnames are surnames common among holders of German and French
// papers, and the particles of German and French family names.
var surnames = []string{
	// German
	"Albrecht", "Arnold", "Bär", "Bauer", "Baumann", "Beck", "Becker", "Berger", "Bergmann", "Böhm", "Brandt",
	"Braun", "Busch", "Dietrich", "Engel", "Fischer", "Frank", "Franke", "Friedrich", "Fuchs", "Götz", "Graf",
	"Groß", "Günther", "Haas", "Hahn", "Hartmann", "Heide", "Heinrich", "Herrmann", "Hoffmann", "Hofmann",
	"Horn", "Huber", "Jäger", "Jung", "Kaiser", "Keller", "Klein", "Koch", "Köhler", "König", "Krämer", "Kraus",
	"Krause", "Krüger", "Kuhn", "Kühn", "Lang", "Lange", "Lehmann", "Lorenz", "Ludwig", "Maier", "Martin",
	"Mayer", "Meier", "Meyer", "Möller", "Müller", "Mustermann", "Neumann", "Otto", "Peters", "Pfeiffer",
	"Pohl", "Richter", "Roth", "Sauer", "Schäfer", "Schmid", "Schmidt", "Schmitt", "Schmitz", "Schneider",
	"Scholz", "Schreiber", "Schröder", "Schubert", "Schulte", "Schulz", "Schulze", "Schumacher", "Schuster",
	"Schwarz", "Seidel", "Simon", "Sommer", "Stein", "Thomas", "Vogel", "Vogt", "Voigt", "Wagner", "Walter",
	"Weber", "Weiß", "Werner", "Winkler", "Winter", "Wolf", "Wolff", "Ziegler", "Zimmermann",
	// particles
	"von", "der", "den", "vom", "zum", "van",
	// Turkish, Polish, Russian, Italian, Greek, Romanian, Vietnamese
	"Arslan", "Aydin", "Celik", "Demir", "Dogan", "Kaya", "Öztürk", "Sahin", "Yildiz", "Yilmaz",
	"Kaminski", "Kowalczyk", "Kowalski", "Lewandowski", "Nowak", "Wisniewski", "Wojcik",
	"Ivanov", "Petrov", "Smirnov", "Bianchi", "Esposito", "Ferrari", "Romano", "Rossi", "Russo",
	"Papadopoulos", "Popescu", "Popa", "Nguyen", "Tran", "Pham",
	// French
	"André", "Aubert", "Barbier", "Bernard", "Bertrand", "Blanc", "Blanchard", "Bonnet", "Boyer", "Brun",
	"Brunet", "Caron", "Chevalier", "Clément", "Colin", "David", "Denis", "Dubois", "Dufour", "Dumas", "Dumont",
	"Dupont", "Durand", "Duval", "Faure", "Fontaine", "Fournier", "Garcia", "Garnier", "Gauthier", "Girard",
	"Giraud", "Guérin", "Henry", "Lambert", "Laurent", "Leclerc", "Lefebvre", "Lefèvre", "Legrand", "Lemaire",
	"Leroux", "Leroy", "Lopez", "Lucas", "Marchand", "Martinez", "Masson", "Mathieu", "Mercier", "Michel",
	"Morel", "Moreau", "Morin", "Nicolas", "Perrin", "Petit", "Picard", "Renard", "Richard", "Robert", "Robin",
	"Roche", "Rousseau", "Roussel", "Roux", "Vincent",
}
