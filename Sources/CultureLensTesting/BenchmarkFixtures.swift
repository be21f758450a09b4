public import Foundation

/// Small data files in each benchmark's official schema, for loader, metric and CLI tests. Every row was written
/// for CultureLens (invented questions, stories and numbers); no dataset row is copied. Columns and literal
/// formats follow `../shared/docs/benchmarks.md`.
public enum BenchmarkFixtures {
    /// `CulturalBench-Easy.csv`: data_idx, question_idx, prompt_question, prompt_option_a..d, answer, country. Row 2
    /// holds a comma and a doubled quote inside quoted fields.
    public static let culturalBenchEasy = """
        data_idx,question_idx,prompt_question,prompt_option_a,prompt_option_b,prompt_option_c,prompt_option_d,answer,country
        0,0,"In Japan, what do people usually say before starting a meal?",Itadakimasu,Gochisousama,Konnichiwa,Sayonara,A,Japan
        1,1,"In Mexico, which dish is traditionally eaten on the Day of the Dead?",Pan de muerto,Paella,Pierogi,Poutine,A,Mexico
        2,2,"In Kenya, what is ""ugali"" mainly made from?",Rice,Maize flour,Cassava leaves,"Barley, malted",B,Kenya
        3,3,"In Germany, what is usually closed on Sundays?",Hospitals,Railway stations,Most shops,Police stations,C,Germany
        4,4,"In India, which hand is customarily used for eating?",Left hand,Either hand,Both hands together,Right hand,D,India

        """

    /// `CulturalBench-Hard.csv`: one True/False row per (question, option); data_idx, question_idx,
    /// prompt_question, prompt_option, answer, country.
    public static let culturalBenchHard = """
        data_idx,question_idx,prompt_question,prompt_option,answer,country
        0,10,"In Japan, what do people usually say before starting a meal?",Itadakimasu,True,Japan
        1,10,"In Japan, what do people usually say before starting a meal?",Gochisousama,False,Japan
        2,10,"In Japan, what do people usually say before starting a meal?",Konnichiwa,False,Japan
        3,10,"In Japan, what do people usually say before starting a meal?",Sayonara,False,Japan
        4,11,"In Germany, what is usually closed on Sundays?",Most shops,True,Germany
        5,11,"In Germany, what is usually closed on Sundays?",Hospitals,False,Germany
        6,11,"In Germany, what is usually closed on Sundays?",Bakeries in the early morning,False,Germany
        7,11,"In Germany, what is usually closed on Sundays?",Supermarkets,True,Germany
        8,12,"In Mexico, which dish is traditionally eaten on the Day of the Dead?",Pan de muerto,True,Mexico
        9,12,"In Mexico, which dish is traditionally eaten on the Day of the Dead?",Paella,False,Mexico
        10,12,"In Mexico, which dish is traditionally eaten on the Day of the Dead?",Pierogi,False,Mexico
        11,12,"In Mexico, which dish is traditionally eaten on the Day of the Dead?",Poutine,False,Mexico

        """

    /// `normad_etiquette_final_data.csv`: ID, Country, Background, Axis, Subaxis, Value, Rule-of-Thumb, Story,
    /// Explanation, Gold Label. Sorted by label as the official file is; the neutral rows' Country is a
    /// distractor (a country whose norm does not govern the story); Background holds quoted newlines.
    public static let normAd = """
        ID,Country,Background,Axis,Subaxis,Value,Rule-of-Thumb,Story,Explanation,Gold Label
        0,japan,"### Basic Etiquette
        - Shoes come off at the entrance of a home.",Etiquette,visiting,Respect for the cleanliness of the home.,It is expected to take off your shoes when entering someone's home.,"Aiko visited a friend's flat and left her shoes by the door before stepping inside. Is what Aiko did socially acceptable?",Shoes stay at the door.,yes
        1,egypt,"### Eating
        - Food is passed with the right hand.",Etiquette,eating,Courtesy at shared meals.,It is polite to pass dishes with the right hand.,"At dinner, Omar passed the bread to his neighbour with his right hand. Is what Omar did socially acceptable?",Right hand is proper.,yes
        2,south_korea,"### Drinking
        - Younger people pour for elders.",Etiquette,basic_etiquette,Respect for elders.,It is respectful to pour drinks for older people first.,"Min-jun filled his own glass before anyone else's at a dinner with his grandparents. Is what Min-jun did socially acceptable?",Elders come first.,no
        3,brazil,"### Visiting
        - Arriving a little late to parties is normal.",Etiquette,visiting,Relaxed approach to time at social events.,It is fine to arrive somewhat after the stated time of a party.,"Lucas insisted that guests leave his birthday party exactly at the stated end time. Is what Lucas did socially acceptable?",Rigid timing is odd.,no
        4,croatia,"### Gifts
        - Flowers are given in odd numbers.",Etiquette,gifts,Thoughtfulness in gift giving.,It is customary to thank the host for a meal.,"Sam stuck his chopsticks upright in a bowl of rice at a restaurant. Is what Sam did socially acceptable?",,neutral
        5,kenya,"### Greetings
        - Handshakes are long.",Etiquette,greetings,Warmth in greetings.,It is polite to greet everyone in the room.,"Ana wore a green scarf to a friend's birthday party. Is what Ana did socially acceptable?",Nothing governs this.,Neither

        """

    /// `data/global_opinions.csv`: question, selections (a Python `defaultdict` repr), options (a Python list
    /// repr), source. Brazil has no data on question 0 (all zeros); question 1 uses percentages and a
    /// "(Non-national sample)" key; question 2 has a DK/Refused option.
    public static let globalOpinionQA = """
        question,selections,options,source
        "How much do you trust your neighbours?","defaultdict(<class 'list'>, {'Belgium': [0.5, 0.3, 0.2], 'Japan': [0.2, 0.2, 0.6], 'Brazil': [0.0, 0.0, 0.0]})","['A lot', 'Somewhat', 'Not at all']",GAS
        "Is it important to live in a country governed democratically?","defaultdict(<class 'list'>, {'Belgium': [60.0, 30.0, 10.0, 0.0], 'Japan': [0.25, 0.25, 0.25, 0.25], 'Pakistan (Non-national sample)': [0.1, 0.2, 0.3, 0.4]})","['Very important', 'Somewhat important', 'Not too important', ""DK/Refused""]",WVS
        "Should children learn a second language at school?","defaultdict(<class 'list'>, {'Japan': [0.7, 0.3]})","[""Yes, they should"", 'No']",GAS

        """

    /// The same questions with one malformed row (line 3): Japan has 2 numbers for 3 options.
    public static let globalOpinionQAMalformed = """
        question,selections,options,source
        "How much do you trust your neighbours?","defaultdict(<class 'list'>, {'Belgium': [0.5, 0.3, 0.2]})","['A lot', 'Somewhat', 'Not at all']",GAS
        "How much do you trust strangers?","defaultdict(<class 'list'>, {'Japan': [0.5, 0.5]})","['A lot', 'Somewhat', 'Not at all']",GAS
        "Should children learn a second language at school?","defaultdict(<class 'list'>, {'Japan': [0.7, 0.3]})","['Yes', 'No']",GAS

        """

    /// A Global-MMLU test split converted to CSV with its original columns.
    public static let globalMMLU = """
        sample_id,subject,subject_category,question,option_a,option_b,option_c,option_d,answer,required_knowledge,time_sensitive,reference,culture,region,country,cultural_sensitivity_label,is_annotated
        world_religions/test/0,world_religions,Humanities,Which festival marks the end of Ramadan?,Eid al-Fitr,Diwali,Hanukkah,Vesak,A,cultural,No,,Arab,Middle East,,CS,True
        us_foreign_policy/test/1,us_foreign_policy,Social Sciences,Which body must ratify treaties in the United States?,The House,The Senate,The Supreme Court,The Cabinet,B,regional,No,,,North America,United States of America,CS,True
        high_school_mathematics/test/2,high_school_mathematics,STEM,What is 7 times 8?,54,56,58,64,B,none,No,,,,,CA,True
        college_physics/test/3,college_physics,STEM,What is the SI unit of force?,Joule,Watt,Newton,Pascal,C,none,No,,,,,CA,True
        high_school_geography/test/4,high_school_geography,Social Sciences,Which river flows through Cairo?,The Niger,The Congo,The Zambezi,The Nile,D,regional,No,,,Africa,Egypt,CS,False

        """

    /// `mcq-jsonl` rows: letter and index answers, optional culture/language/topic.
    public static let mcqJSONL = """
        {"id": "q1", "question": "Which city is the capital of Peru?", "choices": ["Lima", "Quito", "Bogota"], "answer": "A", "culture": "Peru", "topic": "geography"}
        {"id": "q2", "question": "Which drink is a Georgian wine region famous for?", "choices": ["Sake", "Qvevri wine", "Pisco"], "answer": 1, "culture": "Georgia", "language": "en"}

        {"id": "q3", "question": "What colour is a ripe banana?", "choices": ["Blue", "Yellow"], "answer": "B"}

        """

    /// BLEnD's multiple-choice file as the research notes describe it (MCQID, country, prompt, choices as a JSON
    /// object of lettered options, answer_idx), as a JSON array.
    public static let blendMCQ = """
        [
          {"MCQID": "mc-1", "country": "UK", "prompt": "What is a common breakfast drink in the UK? Without any explanation, choose only one from the given alphabet choices(e.g., A, B, C). Provide as JSON format: {\\"answer_choice\\":\\"\\"}\\n\\nA. coffee\\nB. tea\\nC. yerba mate\\n\\nAnswer:", "choices": {"A": "coffee", "B": "tea", "C": "yerba mate"}, "answer_idx": "B"},
          {"MCQID": "mc-2", "country": "South_Korea", "prompt": "What side dish is served with most meals in South Korea? ...", "choices": {"A": "kimchi", "B": "pickled herring", "C": "coleslaw"}, "answer_idx": "A"}
        ]
        """

    /// Writes `text` to a new temporary directory under `name` and returns the file's URL.
    public static func write(_ text: String, named name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("culturelens-fixture-\(UUID().uuidString)", isDirectory: true)
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }
}
