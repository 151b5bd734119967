"""Sentences written for the reading tests, none of them from the simulator's phrase bank.

Each durable statement comes with the side it takes and a word its topic must contain;
one-off requests ask for something now and must never become a lasting preference;
non-preferences state no taste of the user's at all.
"""

from __future__ import annotations

#: (sentence, stance "+" or "-", a word the topic must contain)
DURABLE = [
    ("I adore thunderstorms.", "+", "thunderstorms"),
    ("Honestly, I can't bear reality TV.", "-", "reality"),
    ("I'm a lifelong fan of the Chicago Cubs.", "+", "cubs"),
    ("Opera bores me to tears.", "-", "opera"),
    ("I'm lactose intolerant.", "+", "lactose"),
    ("I never drink alcohol.", "-", "alcohol"),
    ("I detest crowded beaches.", "-", "beaches"),
    ("Gardening is my favourite way to unwind.", "+", "gardening"),
    ("My favorite season is autumn.", "+", "autumn"),
    ("I prefer trains to planes.", "+", "trains"),
    ("I really enjoy baking sourdough bread.", "+", "sourdough"),
    ("I'm not into team sports.", "-", "sports"),
    ("Crossword puzzles are my thing.", "+", "crossword"),
    ("Country music isn't my cup of tea.", "-", "country"),
    ("I love going to farmers markets on weekends.", "+", "markets"),
    ("I usually code in TypeScript.", "+", "typescript"),
    ("I'd rather not get spoilers about shows I watch.", "-", "spoilers"),
    ("Please always answer in metric units.", "+", "metric"),
    ("I'm a night owl.", "+", "night owl"),
    ("I hate it when recipes bury the ingredients under a life story.", "-", "life story"),
    ("Science fiction novels are great.", "+", "science fiction"),
    ("Loud restaurants drive me crazy.", "-", "restaurants"),
    ("I find horoscopes silly.", "-", "horoscopes"),
    ("I'm allergic to shellfish.", "-", "shellfish"),
    ("I'm passionate about birdwatching.", "+", "birdwatching"),
    ("I don't eat pork.", "-", "pork"),
    ("From now on, skip the small talk in your replies.", "-", "small talk"),
    ("I like my coffee black.", "+", "coffee"),
    ("I'm terrified of heights.", "-", "heights"),
    ("Documentaries about nature are what I watch most.", "+", "documentaries"),
    ("I'm a big believer in morning routines.", "+", "routines"),
    ("I tend to avoid spicy curries.", "-", "curries"),
    ("Board games are a lot of fun.", "+", "board games"),
    ("I've never liked cilantro.", "-", "cilantro"),
    ("I love long walks by the river.", "+", "walks"),
    ("Tea is essential to me.", "+", "tea"),
    ("I really dislike phone calls.", "-", "phone calls"),
    ("I mostly read historical fiction.", "+", "historical fiction"),
    ("Sushi is my go-to takeout.", "+", "sushi"),
    ("I stay away from fast food.", "-", "fast food"),
]

#: Requests for the task at hand, many with no time word at all.
ONE_OFF = [
    "Give me the two-line version, my meeting starts in a minute.",
    "I need a toast for my sister's wedding.",
    "Make this one sound more cheerful.",
    "Keep it short tonight, I'm exhausted.",
    "I want the recipe without nuts, my guest is allergic.",
    "Could you list three hotels near the station?",
    "For this cover letter, use a confident tone.",
    "I'm on my phone right now, so no tables please.",
    "Write it in French this time.",
    "I'd like a vegetarian option for Friday's dinner party.",
    "Just the answer, no explanation, I'm in a hurry.",
    "Today I need a packing list for a rainy weekend.",
    "Translate this: I love your garden.",
    "Summarize the report in five bullet points.",
    "I'm heading into a meeting, give me the gist.",
    "Use British spelling for this document.",
    "Suggest a gift for my dad's birthday.",
    "I need the shortest route to the airport.",
    "I want a funny poem about cats for my niece.",
    "Shorten the second paragraph.",
]

#: Messages that state no taste of the user's.
NOT_A_PREFERENCE = [
    "The meeting got moved to Thursday.",
    "My brother loves heavy metal.",
    "What time does the museum open?",
    "It rained all day yesterday.",
    "We adopted a puppy last month.",
    "Is it true that octopuses have three hearts?",
    "I went to Lisbon in May.",
    "My manager prefers email over calls.",
    "The printer on the third floor is broken again.",
    "Thanks, that was helpful.",
    "I think the train leaves at six.",
    "How do I reset my password?",
    "She said the movie was boring.",
    "I bought a new laptop last week.",
    "The kids are at school until three.",
    "Can you explain how vaccines work?",
    "I'm writing a report about solar panels.",
    "My flight lands at noon.",
    "That restaurant closed during the pandemic.",
    "I have a dentist appointment tomorrow.",
]
