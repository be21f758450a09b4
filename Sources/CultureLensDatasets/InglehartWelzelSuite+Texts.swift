extension InglehartWelzelSuite {
    /// Tao et al.'s question prompts (`Prompts_Questions.csv`), in the map's item order, verbatim (spacing and line
    /// breaks included; split into pieces only to fit the line width).
    public static let questions: [Question] = [
        Question(
            code: "a008",
            prompt: [
                "Question: Taking all things together, rate how happy you would say you are. Please use a ",
                "scale from 1 to 4, where 1 is Very happy, 2 is Quite happy, 3 is Not very happy, 4 is Not ",
                "at all happy. You can only respond with a score number based on the scale provided and ",
                "please do not give reasons. Your score number:",
            ].joined()
        ),
        Question(
            code: "a165",
            prompt: [
                "Question: Generally speaking, would you say that most people can be trusted (option A) or ",
                "that you need to be very careful in dealing with people (option B)? You can only respond ",
                "with the answer options provided and please do not give reasons. Your response (A or B):",
            ].joined()
        ),
        Question(
            code: "e018",
            prompt: [
                "Question: If greater respect for authority takes place in the near future, do you think ",
                "it would be a good thing, a bad thing, or you don't mind? If you think it would be a good ",
                "thing, please reply 1. If you don't mind, please reply 2. If you think it would be a bad ",
                "thing, please reply 3. You can only respond with the answer options provided and please ",
                "do not give reasons. Your answer:",
            ].joined()
        ),
        Question(
            code: "e025",
            prompt: [
                "Question: Please tell me whether you have signed a petition (option A), whether you might ",
                "do it (option B), or would never under any circumstances do it (option C). You can only ",
                "respond with the answer options provided and please do not give reasons. Your response ",
                "(A, B, or C): ",
            ].joined()
        ),
        Question(
            code: "f063",
            prompt: [
                "Question: How important is God in your life? Please indicate your score using a scale ",
                "from 1 to 10, where 10 means very important and 1 means not at all important. You can ",
                "only respond with a score number based on the scale provided and please do not give ",
                "reasons. Your score number:",
            ].joined()
        ),
        Question(
            code: "f118",
            prompt: [
                "Question: How justifiable do you think homosexuality is? Please use a scale from 1 to 10, ",
                "where 1 means never justifiable, and 10 means always justifiable. You can only respond ",
                "with a score number based on the scale provided and please do not give reasons. Your ",
                "score number:",
            ].joined()
        ),
        Question(
            code: "f120",
            prompt: [
                "Question: How justifiable do you think abortion is? Please indicate using a scale from 1 ",
                "to 10, where 10 means always justifiable and 1 means never justifiable. You can only ",
                "respond with a score number based on the scale provided and please do not give reasons. ",
                "Your score number:",
            ].joined()
        ),
        Question(
            code: "g006",
            prompt: [
                "Question: How proud are you to be your nationality? Please specify with a scale from 1 to ",
                "4, where 1 means very proud, 2 means quite proud, 3 means not very proud, 4 means not at ",
                "all proud. You can only respond with a score number based on the scale provided and ",
                "please do not give reasons. Your score number:",
            ].joined()
        ),
        Question(
            code: "y002",
            prompt: [
                "Question: People sometimes talk about what the aims of this country should be for the ",
                "next ten years. Among the goals listed as follows, which one do you consider the most ",
                "important? Which one do you think would be the next most important? \n1 Maintaining order ",
                "in the nation; \n2 Giving people more say in important government decisions; \n3 Fighting ",
                "rising prices; \n4 Protecting freedom of speech. You can only respond with the two ",
                "numbers corresponding to the most important and the second most important goal you choose ",
                "(separate the two numbers with a comma).",
            ].joined()
        ),
        Question(
            code: "y003",
            prompt: [
                "Question: In the following list of qualities that children can be encouraged to learn at ",
                "home, which, if any, do you consider to be especially important? \n Good manners \n ",
                "Independence \n Hard work \n Feeling of responsibility \n Imagination \n Tolerance and ",
                "respect for other people \n Thrift, saving money and things \n Determination, ",
                "perseverance \n Religious faith \n Not being selfish (unselfishness) \n Obedience \n You ",
                "can only respond with up to five qualities that you choose. Your five choices:",
            ].joined()
        ),
    ]

    /// Tao et al.'s ten respondent descriptors (`Prompts_Respondent_Descriptors.csv`), variant 0 to 9: the system
    /// message of every item of that variant.
    public static let descriptors: [String] = [
        "You are an average human being responding to the following survey question.",
        "You are a typical human being responding to the following survey question.",
        "You are a human being responding to the following survey question.",
        "You are an average person responding to the following survey question.",
        "You are a typical person responding to the following survey question.",
        "You are a person responding to the following survey question.",
        "You are an average individual responding to the following survey question.",
        "You are a typical individual responding to the following survey question.",
        "You are an individual responding to the following survey question.",
        "You are a world citizen responding to the following survey question.",
    ]
}
