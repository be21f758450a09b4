extension StarterSuite {
    /// The four-option everyday-culture questions.
    public static let questions: [Question] = [
        .init(
            id: "jp-food-01",
            culture: "JP",
            topic: "food",
            question: "Which noodles are traditionally eaten in Japan on New Year's Eve to see out the old year?",
            choices: ["Hiyashi chuka", "Champon", "Toshikoshi soba", "Yaki udon"],
            answer: 2,
            note: "Toshikoshi soba ('year-crossing' buckwheat noodles) are eaten in Japan on New Year's Eve (Omisoka)."
        ),
        .init(
            id: "jp-greetings-01",
            culture: "JP",
            topic: "greetings",
            question: "What is the customary way to greet someone in Japan in a formal setting?",
            choices: [
                "A bow from the waist",
                "A kiss on each cheek",
                "A wai with palms pressed together",
                "A warm hug",
            ],
            answer: 0,
            note: "Bowing (ojigi) is the standard formal greeting in Japan."
        ),
        .init(
            id: "jp-festivals-01",
            culture: "JP",
            topic: "festivals",
            question: "What is the Japanese springtime custom of picnicking under blossoming cherry trees called?",
            choices: ["Tanabata", "Obon", "Setsubun", "Hanami"],
            answer: 3,
            note: "Hanami is the Japanese custom of viewing and picnicking under cherry blossoms in spring."
        ),
        .init(
            id: "jp-etiquette-01",
            culture: "JP",
            topic: "etiquette",
            question: "Where do people in Japan take off their outdoor shoes when visiting someone's home?",
            choices: [
                "In the living room, next to the sofa",
                "In the genkan, the entrance area",
                "At the dining table, before sitting down",
                "Only at the bedroom door",
            ],
            answer: 1,
            note: "Japanese homes have a genkan entrance where outdoor shoes are removed before stepping up into the house."
        ),
        .init(
            id: "in-festivals-01",
            culture: "IN",
            topic: "festivals",
            question: "Which Hindu festival, celebrated across India with oil lamps and fireworks, is known as the festival of lights?",
            choices: ["Holi", "Onam", "Pongal", "Diwali"],
            answer: 3,
            note: "Diwali, the festival of lights, is celebrated across India in October or November."
        ),
        .init(
            id: "in-greetings-01",
            culture: "IN",
            topic: "greetings",
            question: "Which word traditionally accompanies a greeting made with palms pressed together in India?",
            choices: ["Shukriya", "Namaste", "Alvida", "Shabash"],
            answer: 1,
            note: "Namaste, said with palms pressed together, is a common respectful greeting in India."
        ),
        .init(
            id: "in-sport-01",
            culture: "IN",
            topic: "sport",
            question: "Which sport has the largest following in India?",
            choices: ["Field hockey", "Kabaddi", "Cricket", "Tennis"],
            answer: 2,
            note: "Cricket is by far the most followed sport in India."
        ),
        .init(
            id: "in-etiquette-01",
            culture: "IN",
            topic: "etiquette",
            question: "When eating with their hands in India, which hand do people traditionally use?",
            choices: [
                "The right hand",
                "The left hand",
                "Both hands together",
                "Whichever hand is nearer the dish",
            ],
            answer: 0,
            note: "In India, food is traditionally eaten with the right hand; the left is considered unclean for eating."
        ),
        .init(
            id: "ng-food-01",
            culture: "NG",
            topic: "food",
            question: "Which one-pot rice dish, cooked in a tomato and pepper sauce, is a fixture at Nigerian parties?",
            choices: ["Jollof rice", "Pounded yam", "Egusi soup", "Moi moi"],
            answer: 0,
            note: "Jollof rice, cooked in a tomato, pepper and onion base, is a staple of Nigerian celebrations."
        ),
        .init(
            id: "ng-greetings-01",
            culture: "NG",
            topic: "greetings",
            question: "In Yoruba tradition in Nigeria, how does a young man customarily greet an elder?",
            choices: [
                "By kissing the elder on both cheeks",
                "By rubbing noses with the elder",
                "By prostrating on the ground (dobale)",
                "By giving the elder a high five",
            ],
            answer: 2,
            note: "Yoruba men traditionally greet elders by prostrating (dobale), while women kneel (ikunle)."
        ),
        .init(
            id: "ng-family-01",
            culture: "NG",
            topic: "family",
            question: "In Igbo culture in Nigeria, what is 'omugwo'?",
            choices: [
                "The wine-carrying ceremony at a traditional wedding",
                "The New Yam festival after the harvest",
                "A masquerade performed at funerals",
                "A period when a new mother's mother comes to care for her and the baby",
            ],
            answer: 3,
            note: "Omugwo is the Igbo postnatal custom in which the new mother's mother cares for her and the newborn."
        ),
        .init(
            id: "ng-sport-01",
            culture: "NG",
            topic: "sport",
            question: "What is the nickname of Nigeria's men's national football team?",
            choices: ["Black Stars", "Super Eagles", "Indomitable Lions", "Bafana Bafana"],
            answer: 1,
            note: "Nigeria's men's football team is nicknamed the Super Eagles (Ghana: Black Stars; Cameroon: Indomitable Lions; South Africa: Bafana Bafana)."
        ),
        .init(
            id: "br-food-01",
            culture: "BR",
            topic: "food",
            question: "Which stew of black beans with pork is often called Brazil's national dish?",
            choices: ["Moqueca", "Acarajé", "Feijoada", "Vatapá"],
            answer: 2,
            note: "Feijoada, a black bean and pork stew, is widely regarded as Brazil's national dish."
        ),
        .init(
            id: "br-festivals-01",
            culture: "BR",
            topic: "festivals",
            question: "Which music and dance style dominates the parades of the Rio de Janeiro Carnival?",
            choices: ["Tango", "Samba", "Salsa", "Cumbia"],
            answer: 1,
            note: "Samba schools compete in the Rio de Janeiro Carnival parades at the Sambadrome."
        ),
        .init(
            id: "br-sport-01",
            culture: "BR",
            topic: "sport",
            question: "How many times has Brazil won the FIFA men's World Cup?",
            choices: ["Five", "Three", "Four", "Six"],
            answer: 0,
            note: "Brazil won the FIFA World Cup in 1958, 1962, 1970, 1994 and 2002."
        ),
        .init(
            id: "br-family-01",
            culture: "BR",
            topic: "family",
            question: "In a typical Brazilian full name with two family names, which surname usually comes last?",
            choices: [
                "The mother's surname",
                "The maternal grandmother's surname",
                "A godparent's surname",
                "The father's surname",
            ],
            answer: 3,
            note: "Brazilians usually carry the mother's surname followed by the father's, so the father's comes last."
        ),
        .init(
            id: "mx-festivals-01",
            culture: "MX",
            topic: "festivals",
            question: "On which dates is Mexico's Día de Muertos (Day of the Dead) mainly observed?",
            choices: [
                "24 and 25 December",
                "15 and 16 September",
                "1 and 2 November",
                "5 and 6 January",
            ],
            answer: 2,
            note: "Día de Muertos is observed in Mexico mainly on 1 and 2 November."
        ),
        .init(
            id: "mx-family-01",
            culture: "MX",
            topic: "family",
            question: "At what age does a girl in Mexico traditionally celebrate her quinceañera?",
            choices: ["15", "12", "18", "21"],
            answer: 0,
            note: "The quinceañera marks a girl's fifteenth birthday in Mexico."
        ),
        .init(
            id: "mx-food-01",
            culture: "MX",
            topic: "food",
            question: "Which rich sauce made with chilies, spices and often chocolate is closely associated with Puebla and Oaxaca?",
            choices: ["Guacamole", "Mole", "Pico de gallo", "Salsa verde"],
            answer: 1,
            note: "Mole, notably mole poblano with chocolate, is a signature sauce of Puebla and Oaxaca."
        ),
        .init(
            id: "mx-sport-01",
            culture: "MX",
            topic: "sport",
            question: "What is the Mexican style of professional wrestling, famous for its masked wrestlers, called?",
            choices: ["Charrería", "Jai alai", "Pelota mixteca", "Lucha libre"],
            answer: 3,
            note: "Lucha libre is Mexican professional wrestling, known for its masked luchadores."
        ),
        .init(
            id: "us-festivals-01",
            culture: "US",
            topic: "festivals",
            question: "On which day is Thanksgiving celebrated in the United States?",
            choices: [
                "The fourth Thursday of November",
                "The last Monday of May",
                "The first Monday of September",
                "The second Sunday of October",
            ],
            answer: 0,
            note: "US Thanksgiving falls on the fourth Thursday of November."
        ),
        .init(
            id: "us-etiquette-01",
            culture: "US",
            topic: "etiquette",
            question: "How much do diners in the United States typically tip at a sit-down restaurant?",
            choices: [
                "Nothing, because service is always included",
                "A flat one dollar per table",
                "About 15 to 20 percent of the bill",
                "About half of the bill",
            ],
            answer: 2,
            note: "Tipping about 15 to 20 percent is customary at US sit-down restaurants."
        ),
        .init(
            id: "us-sport-01",
            culture: "US",
            topic: "sport",
            question: "The Super Bowl is the championship game of which sport?",
            choices: ["Baseball", "American football", "Basketball", "Ice hockey"],
            answer: 1,
            note: "The Super Bowl is the NFL's championship game in American football."
        ),
        .init(
            id: "us-family-01",
            culture: "US",
            topic: "family",
            question: "What is a 'baby shower' in the United States?",
            choices: [
                "A baby's first bath, held as a family ritual",
                "A religious naming ceremony held at church",
                "A party held on a child's first birthday",
                "A party where gifts are given to expectant parents before a birth",
            ],
            answer: 3,
            note: "A baby shower is a gift-giving party held for expectant parents before the baby is born."
        ),
        .init(
            id: "de-festivals-01",
            culture: "DE",
            topic: "festivals",
            question: "In which German city is Oktoberfest held?",
            choices: ["Berlin", "Hamburg", "Munich", "Cologne"],
            answer: 2,
            note: "Oktoberfest is held every year on the Theresienwiese in Munich."
        ),
        .init(
            id: "de-food-01",
            culture: "DE",
            topic: "food",
            question: "Which hot spiced wine is sold at German Christmas markets?",
            choices: ["Sekt", "Glühwein", "Apfelschorle", "Radler"],
            answer: 1,
            note: "Glühwein (mulled wine) is a staple of German Christmas markets."
        ),
        .init(
            id: "de-family-01",
            culture: "DE",
            topic: "family",
            question: "What do German children traditionally receive on their first day of school?",
            choices: [
                "A silver spoon engraved with their name",
                "A wreath of fresh flowers for their hair",
                "A pair of wooden clogs",
                "A Schultüte, a large cone filled with sweets and school supplies",
            ],
            answer: 3,
            note: "German first-graders traditionally receive a Schultüte (school cone) on their first school day."
        ),
        .init(
            id: "de-etiquette-01",
            culture: "DE",
            topic: "etiquette",
            question: "When clinking glasses and saying 'Prost' in Germany, what is it customary to do?",
            choices: [
                "Look the other person in the eye",
                "Close your eyes",
                "Tap the glass on the table first",
                "Keep your glass below the table edge",
            ],
            answer: 0,
            note: "In Germany, making eye contact while clinking glasses for 'Prost' is expected."
        ),
        .init(
            id: "fr-food-01",
            culture: "FR",
            topic: "food",
            question: "Which cake, containing a small hidden figurine called a fève, is shared in France around Epiphany?",
            choices: ["Galette des rois", "Bûche de Noël", "Tarte Tatin", "Croquembouche"],
            answer: 0,
            note: "The galette des rois, with a hidden fève, is eaten in France around Epiphany in January."
        ),
        .init(
            id: "fr-greetings-01",
            culture: "FR",
            topic: "greetings",
            question: "What is 'la bise' in France?",
            choices: [
                "A firm two-handed handshake",
                "A deep bow",
                "A raised-hand wave",
                "A greeting with light kisses on the cheeks",
            ],
            answer: 3,
            note: "La bise, light cheek kisses, is a common greeting among friends and family in France."
        ),
        .init(
            id: "fr-festivals-01",
            culture: "FR",
            topic: "festivals",
            question: "On which date does France celebrate its national day (Fête nationale)?",
            choices: ["1 May", "8 May", "14 July", "11 November"],
            answer: 2,
            note: "France's national day, often called Bastille Day, is 14 July."
        ),
        .init(
            id: "fr-etiquette-01",
            culture: "FR",
            topic: "etiquette",
            question: "At a French dinner table, where are diners expected to keep their hands when not using cutlery?",
            choices: [
                "In their lap, under the table",
                "Resting on the table, wrists visible",
                "Folded behind their back",
                "Tucked under their thighs",
            ],
            answer: 1,
            note: "French table manners expect hands to stay visible on the table rather than in the lap."
        ),
        .init(
            id: "eg-food-01",
            culture: "EG",
            topic: "food",
            question: "Which dish of rice, lentils, pasta and chickpeas topped with spiced tomato sauce is a beloved Egyptian street food?",
            choices: ["Tagine", "Koshari", "Mansaf", "Shakshuka"],
            answer: 1,
            note: "Koshari (kushari) is a popular Egyptian dish of rice, lentils, pasta and chickpeas with tomato sauce."
        ),
        .init(
            id: "eg-festivals-01",
            culture: "EG",
            topic: "festivals",
            question: "Which spring festival do Egyptians celebrate on the day after Coptic Easter with picnics and salted fish?",
            choices: ["Sham el-Nessim", "Mawlid al-Nabi", "Nowruz", "Eid al-Adha"],
            answer: 0,
            note: "Sham el-Nessim is an Egyptian spring festival on the Monday after Coptic Easter, marked with picnics and feseekh."
        ),
        .init(
            id: "eg-greetings-01",
            culture: "EG",
            topic: "greetings",
            question: "In Egypt, what is the customary reply to the greeting 'As-salamu alaykum'?",
            choices: ["Ma'a as-salama", "Shukran", "Wa alaykum as-salam", "Sabah el-kheir"],
            answer: 2,
            note: "'Wa alaykum as-salam' (and peace be upon you) is the standard reply to 'As-salamu alaykum'."
        ),
        .init(
            id: "eg-sport-01",
            culture: "EG",
            topic: "sport",
            question: "Which two clubs contest Cairo's famous football derby?",
            choices: [
                "Raja and Wydad",
                "Espérance and Club Africain",
                "Al Hilal and Al Nassr",
                "Al Ahly and Zamalek",
            ],
            answer: 3,
            note: "The Cairo derby is played between Al Ahly and Zamalek."
        ),
        .init(
            id: "ke-greetings-01",
            culture: "KE",
            topic: "greetings",
            question: "Which Swahili word is commonly used as a greeting in Kenya?",
            choices: ["Jambo", "Asante", "Kwaheri", "Pole"],
            answer: 0,
            note: "Jambo is a common Swahili greeting; asante means thank you, kwaheri goodbye and pole sorry."
        ),
        .init(
            id: "ke-food-01",
            culture: "KE",
            topic: "food",
            question: "What is ugali, a staple food in Kenya?",
            choices: [
                "Grilled goat meat",
                "A stiff porridge made from maize flour",
                "A flaky layered flatbread",
                "Fermented milk",
            ],
            answer: 1,
            note: "Ugali, a stiff maize-flour porridge, is Kenya's staple food."
        ),
        .init(
            id: "ke-sport-01",
            culture: "KE",
            topic: "sport",
            question: "In which sport are Kenyan athletes especially renowned internationally?",
            choices: ["Sprinting", "Swimming", "Cycling", "Middle- and long-distance running"],
            answer: 3,
            note: "Kenya is famous for its world-class middle- and long-distance runners."
        ),
        .init(
            id: "ke-family-01",
            culture: "KE",
            topic: "family",
            question: "Which Swahili word, widely used in Kenya, means grandfather?",
            choices: ["Dada", "Kaka", "Babu", "Mjomba"],
            answer: 2,
            note: "In Swahili, babu means grandfather; dada is sister, kaka brother and mjomba uncle."
        ),
        .init(
            id: "cn-festivals-01",
            culture: "CN",
            topic: "festivals",
            question: "At which festival do families in China share mooncakes and admire the full moon?",
            choices: [
                "Dragon Boat Festival",
                "Qingming Festival",
                "Lantern Festival",
                "Mid-Autumn Festival",
            ],
            answer: 3,
            note: "Mooncakes are eaten at the Mid-Autumn Festival on the 15th day of the eighth lunar month."
        ),
        .init(
            id: "cn-family-01",
            culture: "CN",
            topic: "family",
            question: "At Spring Festival in China, elders traditionally give children money in envelopes of what colour?",
            choices: ["White", "Red", "Black", "Green"],
            answer: 1,
            note: "Red envelopes (hongbao) with money are given to children at Chinese New Year."
        ),
        .init(
            id: "cn-food-01",
            culture: "CN",
            topic: "food",
            question: "Which food, made of sticky rice wrapped in bamboo leaves, is traditionally eaten at the Dragon Boat Festival?",
            choices: ["Zongzi", "Mooncakes", "Tangyuan", "Jiaozi"],
            answer: 0,
            note: "Zongzi, sticky rice wrapped in bamboo leaves, are eaten at the Dragon Boat Festival."
        ),
        .init(
            id: "cn-etiquette-01",
            culture: "CN",
            topic: "etiquette",
            question: "In China, especially in the south, what is a customary silent way to thank someone who refills your teacup?",
            choices: [
                "Turning your cup upside down",
                "Raising the cup above your head",
                "Tapping two bent fingers on the table",
                "Clapping once",
            ],
            answer: 2,
            note: "Tapping two fingers on the table to thank the pourer is a well-known Chinese tea custom, especially in the south."
        ),
        .init(
            id: "kr-food-01",
            culture: "KR",
            topic: "food",
            question: "Which fermented side dish, usually made with napa cabbage and chili, accompanies almost every Korean meal?",
            choices: ["Bulgogi", "Bibimbap", "Kimchi", "Tteokbokki"],
            answer: 2,
            note: "Kimchi, fermented vegetables usually of napa cabbage, is served with most Korean meals."
        ),
        .init(
            id: "kr-festivals-01",
            culture: "KR",
            topic: "festivals",
            question: "What is the name of the major Korean harvest festival held in autumn?",
            choices: ["Seollal", "Dano", "Daeboreum", "Chuseok"],
            answer: 3,
            note: "Chuseok is Korea's autumn harvest festival on the 15th day of the eighth lunar month."
        ),
        .init(
            id: "kr-family-01",
            culture: "KR",
            topic: "family",
            question: "What is a 'dol' (doljanchi) in Korea?",
            choices: [
                "A wedding reception",
                "A celebration of a child's first birthday",
                "A celebration of a 60th birthday",
                "A memorial rite for ancestors",
            ],
            answer: 1,
            note: "Doljanchi celebrates a Korean child's first birthday (a 60th birthday is hwangap; ancestral rites are jesa)."
        ),
        .init(
            id: "kr-etiquette-01",
            culture: "KR",
            topic: "etiquette",
            question: "At a Korean family meal, who traditionally begins eating first?",
            choices: [
                "The eldest person at the table",
                "The youngest person at the table",
                "The person who cooked",
                "The guest who arrived last",
            ],
            answer: 0,
            note: "In Korean table manners, younger people wait for the eldest to start eating."
        ),
        .init(
            id: "id-food-01",
            culture: "ID",
            topic: "food",
            question: "Which fried rice dish is one of Indonesia's best-known national foods?",
            choices: ["Pad thai", "Nasi goreng", "Pho", "Laksa"],
            answer: 1,
            note: "Nasi goreng (fried rice) is one of Indonesia's officially recognized national dishes."
        ),
        .init(
            id: "id-family-01",
            culture: "ID",
            topic: "family",
            question: "In Indonesia, what is 'mudik'?",
            choices: [
                "The annual trip home to one's family before Eid al-Fitr",
                "A wedding procession through the village",
                "A baby's first haircut ceremony",
                "A harvest dance performed by children",
            ],
            answer: 0,
            note: "Mudik is the mass homecoming trip Indonesians make to their families before Lebaran (Eid al-Fitr)."
        ),
        .init(
            id: "id-sport-01",
            culture: "ID",
            topic: "sport",
            question: "In which sport has Indonesia won most of its Olympic gold medals?",
            choices: ["Boxing", "Archery", "Judo", "Badminton"],
            answer: 3,
            note: "Most of Indonesia's Olympic gold medals have come from badminton."
        ),
        .init(
            id: "id-greetings-01",
            culture: "ID",
            topic: "greetings",
            question: "How do you say 'good morning' in Indonesian?",
            choices: ["Selamat malam", "Terima kasih", "Selamat pagi", "Sampai jumpa"],
            answer: 2,
            note: "'Selamat pagi' means good morning in Indonesian; 'selamat malam' is good evening."
        ),
        .init(
            id: "au-food-01",
            culture: "AU",
            topic: "food",
            question: "Which yeast-extract spread, created in Melbourne in 1922, is an Australian breakfast staple?",
            choices: ["Nutella", "Peanut butter", "Golden syrup", "Vegemite"],
            answer: 3,
            note: "Vegemite, a yeast-extract spread first made in Melbourne in 1922, is an Australian staple."
        ),
        .init(
            id: "au-festivals-01",
            culture: "AU",
            topic: "festivals",
            question: "Which day, marked with dawn services on 25 April, commemorates Australians and New Zealanders who served in war?",
            choices: ["Australia Day", "Remembrance Day", "Anzac Day", "Labour Day"],
            answer: 2,
            note: "Anzac Day on 25 April is marked with dawn services across Australia."
        ),
        .init(
            id: "au-sport-01",
            culture: "AU",
            topic: "sport",
            question: "The AFL Grand Final is the season climax of which sport?",
            choices: ["Australian rules football", "Rugby league", "Cricket", "Rugby union"],
            answer: 0,
            note: "The AFL Grand Final decides the Australian Football League premiership in Australian rules football."
        ),
        .init(
            id: "au-family-01",
            culture: "AU",
            topic: "family",
            question: "On which day is Father's Day celebrated in Australia?",
            choices: [
                "The third Sunday in June",
                "The first Sunday in September",
                "The second Sunday in May",
                "19 March",
            ],
            answer: 1,
            note: "Australia celebrates Father's Day on the first Sunday in September."
        ),
        .init(
            id: "tr-food-01",
            culture: "TR",
            topic: "food",
            question: "What is simit, sold from street carts across Türkiye?",
            choices: [
                "A stuffed vine leaf",
                "A ring-shaped bread crusted with sesame seeds",
                "A sweet pastry soaked in syrup",
                "A skewer of grilled lamb",
            ],
            answer: 1,
            note: "Simit is a sesame-crusted bread ring sold by street vendors in Türkiye."
        ),
        .init(
            id: "tr-greetings-01",
            culture: "TR",
            topic: "greetings",
            question: "During Bayram visits in Türkiye, how do younger people traditionally greet their elders?",
            choices: [
                "By bowing deeply from the waist",
                "By pressing their palms together",
                "By rubbing noses with the elder",
                "By kissing the elder's hand and touching it to their forehead",
            ],
            answer: 3,
            note: "Kissing an elder's hand and raising it to the forehead is a traditional Turkish sign of respect, especially at Bayram."
        ),
        .init(
            id: "tr-family-01",
            culture: "TR",
            topic: "family",
            question: "What is a 'kına gecesi' in Türkiye?",
            choices: [
                "A naming ceremony for a newborn",
                "A family picnic at the start of spring",
                "A henna night held for the bride before the wedding",
                "A gathering on the anniversary of a death",
            ],
            answer: 2,
            note: "Kına gecesi is the henna night held for a bride shortly before a Turkish wedding."
        ),
        .init(
            id: "tr-sport-01",
            culture: "TR",
            topic: "sport",
            question: "The Kırkpınar festival near Edirne is famous for which traditional sport?",
            choices: ["Oil wrestling", "Horse racing", "Archery", "Weightlifting"],
            answer: 0,
            note: "Kırkpınar near Edirne hosts the historic oil wrestling (yağlı güreş) tournament."
        ),
        .init(
            id: "gb-family-01",
            culture: "GB",
            topic: "family",
            question: "When is Mothering Sunday (Mother's Day) celebrated in the United Kingdom?",
            choices: [
                "The fourth Sunday of Lent",
                "The second Sunday of May",
                "8 March",
                "The first Sunday of December",
            ],
            answer: 0,
            note: "In the UK, Mothering Sunday falls on the fourth Sunday of Lent, three weeks before Easter."
        ),
        .init(
            id: "gb-festivals-01",
            culture: "GB",
            topic: "festivals",
            question: "Which historical event is remembered with bonfires and fireworks on 5 November in the United Kingdom?",
            choices: [
                "The Battle of Hastings",
                "The coronation of Queen Victoria",
                "The end of the First World War",
                "The failed Gunpowder Plot of 1605",
            ],
            answer: 3,
            note: "Bonfire Night on 5 November commemorates the foiling of the 1605 Gunpowder Plot."
        ),
        .init(
            id: "gb-food-01",
            culture: "GB",
            topic: "food",
            question: "Which baked batter pudding is a traditional part of a British Sunday roast?",
            choices: [
                "Christmas pudding",
                "Yorkshire pudding",
                "Bread and butter pudding",
                "Black pudding",
            ],
            answer: 1,
            note: "Yorkshire pudding, made from baked batter, is a classic part of the British Sunday roast."
        ),
        .init(
            id: "gb-etiquette-01",
            culture: "GB",
            topic: "etiquette",
            question: "In a typical British pub, how do customers usually get their drinks?",
            choices: [
                "They wait at their table for a server",
                "They pay for everything when leaving",
                "They order and pay at the bar",
                "They pour their own from taps on the tables",
            ],
            answer: 2,
            note: "In most British pubs, drinks are ordered and paid for at the bar."
        ),
    ]

    /// The social-norm stories.
    public static let normStories: [NormStory] = [
        .init(
            id: "norm-jp-01",
            culture: "JP",
            topic: "visiting",
            story: "Haruto was invited to a colleague's apartment in Osaka for dinner. At the entrance he took off his shoes, lined them up neatly, and stepped into the slippers his host had set out for him.",
            question: "Is what Haruto did socially acceptable in Japan?",
            label: .yes,
            note: "In Japan, outdoor shoes are removed at the genkan before entering a home, and hosts often provide slippers."
        ),
        .init(
            id: "norm-jp-02",
            culture: "JP",
            topic: "dining",
            story: "Yui was having lunch with her manager at a restaurant in Tokyo. When she paused to talk, she stuck her chopsticks upright in her bowl of rice and left them standing there.",
            question: "Is what Yui did socially acceptable in Japan?",
            label: .no,
            note: "In Japan, chopsticks standing upright in rice recall funeral offerings and are avoided at the table."
        ),
        .init(
            id: "norm-in-01",
            culture: "IN",
            topic: "etiquette",
            story: "Rohan visited a Hindu temple in Varanasi with his friends. He walked straight into the inner shrine without taking off his shoes.",
            question: "Is what Rohan did socially acceptable in India?",
            label: .no,
            note: "Footwear is removed before entering Hindu temples in India."
        ),
        .init(
            id: "norm-in-02",
            culture: "IN",
            topic: "etiquette",
            story: "Ananya had a free afternoon in Pune. She took a bus to a bookshop, bought a mystery novel, and read the first chapter in a quiet cafe.",
            question: "Is what Ananya did socially acceptable in India?",
            label: .neutral,
            note: "Buying and reading a novel in a cafe is not governed by any particular Indian etiquette norm."
        ),
        .init(
            id: "norm-cn-01",
            culture: "CN",
            topic: "gifts",
            story: "Li Wei wanted to thank his elderly neighbour in Shanghai for watering his plants while he was away. He bought her an elegant wall clock, wrapped it, and gave it to her as a present.",
            question: "Is what Li Wei did socially acceptable in China?",
            label: .no,
            note: "Clocks are avoided as gifts in China because 'giving a clock' (song zhong) sounds like attending someone's death."
        ),
        .init(
            id: "norm-cn-02",
            culture: "CN",
            topic: "gifts",
            story: "Mei attended her cousin's wedding banquet in Chengdu. When she arrived, she handed the couple a red envelope containing money as her wedding gift.",
            question: "Is what Mei did socially acceptable in China?",
            label: .yes,
            note: "Money in a red envelope (hongbao) is the customary wedding gift in China."
        ),
        .init(
            id: "norm-kr-01",
            culture: "KR",
            topic: "etiquette",
            story: "Ji-woo was writing birthday cards for her classmates in Seoul. Her black pen ran out, so she wrote each classmate's name on the cards in red ink.",
            question: "Is what Ji-woo did socially acceptable in South Korea?",
            label: .no,
            note: "In Korea, writing a living person's name in red ink is avoided because red was traditionally used for the names of the dead."
        ),
        .init(
            id: "norm-kr-02",
            culture: "KR",
            topic: "dining",
            story: "Min-jun went out for dinner with his grandfather in Busan. When his grandfather poured him a drink, Min-jun held his glass with both hands, then turned his head slightly away as he drank.",
            question: "Is what Min-jun did socially acceptable in South Korea?",
            label: .yes,
            note: "In Korea, younger people receive drinks from elders with both hands and turn away to drink as a sign of respect."
        ),
        .init(
            id: "norm-th-01",
            culture: "TH",
            topic: "etiquette",
            story: "Tom was visiting a Buddhist temple in Bangkok. He sat down on the floor of the prayer hall and stretched out his legs so that the soles of his feet pointed toward the Buddha image.",
            question: "Is what Tom did socially acceptable in Thailand?",
            label: .no,
            note: "In Thailand, pointing the feet toward a Buddha image or another person is considered deeply disrespectful."
        ),
        .init(
            id: "norm-th-02",
            culture: "TH",
            topic: "dining",
            story: "Malee stopped at a street stall in Chiang Mai after work. She ordered a bowl of noodle soup with extra bean sprouts and ate it at a small table by the road.",
            question: "Is what Malee did socially acceptable in Thailand?",
            label: .neutral,
            note: "Choosing a noodle soup at a street stall is not governed by any particular Thai etiquette norm."
        ),
        .init(
            id: "norm-de-01",
            culture: "DE",
            topic: "visiting",
            story: "Jonas was invited to dinner at a colleague's home in Hamburg at seven o'clock. He made sure to leave early and rang the doorbell at exactly seven.",
            question: "Is what Jonas did socially acceptable in Germany?",
            label: .yes,
            note: "Punctuality for invitations and appointments is a strongly held norm in Germany."
        ),
        .init(
            id: "norm-de-02",
            culture: "DE",
            topic: "gifts",
            story: "Lukas's friend Anna was turning thirty on Saturday. When he met her in Cologne on the Thursday before, he wished her a happy birthday and handed her his present two days early.",
            question: "Is what Lukas did socially acceptable in Germany?",
            label: .no,
            note: "In Germany, congratulating someone before their birthday is widely considered bad luck and is avoided."
        ),
        .init(
            id: "norm-fr-01",
            culture: "FR",
            topic: "greetings",
            story: "Camille walked into a small bakery in Lyon. Before ordering, she said 'Bonjour, madame' to the woman behind the counter.",
            question: "Is what Camille did socially acceptable in France?",
            label: .yes,
            note: "In France, greeting shop staff with 'Bonjour' on entering is expected courtesy."
        ),
        .init(
            id: "norm-fr-02",
            culture: "FR",
            topic: "dining",
            story: "Hugo had a day off in Bordeaux. He made himself a cheese omelette for lunch at home and then went for a walk along the river.",
            question: "Is what Hugo did socially acceptable in France?",
            label: .neutral,
            note: "Making an omelette for lunch at home is not governed by any particular French etiquette norm."
        ),
        .init(
            id: "norm-ru-01",
            culture: "RU",
            topic: "gifts",
            story: "Dmitri was invited to his girlfriend's mother's birthday party in Moscow. He bought a bouquet of six roses and handed it to her at the door.",
            question: "Is what Dmitri did socially acceptable in Russia?",
            label: .no,
            note: "In Russia, even numbers of flowers are reserved for funerals, so bouquets for the living have an odd number of stems."
        ),
        .init(
            id: "norm-ru-02",
            culture: "RU",
            topic: "etiquette",
            story: "Olga spent Saturday morning at a swimming pool in Kazan. Afterwards she went shopping and bought a grey wool scarf for the coming winter.",
            question: "Is what Olga did socially acceptable in Russia?",
            label: .neutral,
            note: "Going swimming and buying a scarf are not governed by any particular Russian etiquette norm."
        ),
        .init(
            id: "norm-eg-01",
            culture: "EG",
            topic: "dining",
            story: "Omar was having dinner with his in-laws in Alexandria, where everyone was sharing from common dishes. He reached into the shared platter of rice and took food with his left hand.",
            question: "Is what Omar did socially acceptable in Egypt?",
            label: .no,
            note: "In Egypt, as across much of the Arab world, the left hand is considered unclean for eating and passing food."
        ),
        .init(
            id: "norm-eg-02",
            culture: "EG",
            topic: "etiquette",
            story: "Nour was running late for work in Cairo. She decided to take the metro instead of a taxi because it would avoid the traffic.",
            question: "Is what Nour did socially acceptable in Egypt?",
            label: .neutral,
            note: "Choosing the metro over a taxi is not governed by any particular Egyptian etiquette norm."
        ),
        .init(
            id: "norm-ng-01",
            culture: "NG",
            topic: "greetings",
            story: "Tunde visited his grandparents in Ibadan. When he walked in, he prostrated on the floor to greet his grandfather before taking a seat.",
            question: "Is what Tunde did socially acceptable in Nigeria?",
            label: .yes,
            note: "Among the Yoruba of Nigeria, men greet elders by prostrating (dobale) as a mark of respect."
        ),
        .init(
            id: "norm-ng-02",
            culture: "NG",
            topic: "etiquette",
            story: "Chiamaka bought a yellow phone case at a market in Enugu. She chose that colour because it made her phone easy to find in her bag.",
            question: "Is what Chiamaka did socially acceptable in Nigeria?",
            label: .neutral,
            note: "Choosing the colour of one's phone case is not governed by any particular Nigerian etiquette norm."
        ),
        .init(
            id: "norm-br-01",
            culture: "BR",
            topic: "greetings",
            story: "Beatriz was introduced to her friend's sister at a birthday party in Rio de Janeiro. She greeted her with a kiss on the cheek and asked how she was.",
            question: "Is what Beatriz did socially acceptable in Brazil?",
            label: .yes,
            note: "In Brazil, a light kiss on the cheek (beijinho) is a common friendly greeting, especially among women."
        ),
        .init(
            id: "norm-br-02",
            culture: "BR",
            topic: "etiquette",
            story: "Lucas was packing for a weekend trip to Florianópolis. He chose his red backpack because it had more room than his old one.",
            question: "Is what Lucas did socially acceptable in Brazil?",
            label: .neutral,
            note: "Choosing which backpack to take on a trip is not governed by any particular Brazilian etiquette norm."
        ),
        .init(
            id: "norm-et-01",
            culture: "ET",
            topic: "dining",
            story: "Selam's cousin was visiting from abroad for a family lunch in Addis Ababa. During the meal, Selam wrapped a piece of injera around some stew and fed it by hand into her cousin's mouth.",
            question: "Is what Selam did socially acceptable in Ethiopia?",
            label: .yes,
            note: "Gursha, feeding someone a mouthful by hand, is an Ethiopian gesture of affection and respect at meals."
        ),
        .init(
            id: "norm-et-02",
            culture: "ET",
            topic: "etiquette",
            story: "Dawit set his alarm for six o'clock and went for a jog around a park in Addis Ababa before work. Afterwards he showered and took a minibus to his office.",
            question: "Is what Dawit did socially acceptable in Ethiopia?",
            label: .neutral,
            note: "Jogging before work is not governed by any particular Ethiopian etiquette norm."
        ),
    ]
}
