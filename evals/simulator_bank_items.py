"""Phrase bank, part 3: elicitation items (asked again on later days) and neutral small talk.

Items (parsed by `evals.simulator_phrasing.parse_items`), separated by blank lines:
`@ item_id | topic`, two `?` wordings of the question, then 2 or 3 `*` options in canonical
order. Small talk: `user line || assistant line`, one exchange a line, with no preference in it.
"""

ITEM_BANK = """
@ q-explain | explanation_style
? When you learn something new, what helps most?
? Which kind of explanation makes an idea click for you?
* An everyday analogy
* A precise definition
* A worked example

@ q-news | news_format
? How would you like to get your news?
? If you could only follow the news one way, which would you pick?
* A short daily digest
* A long weekly read

@ q-vacation | vacation_type
? Where would you rather spend a week off?
? Pick the holiday that sounds best to you.
* At the beach
* In a big city
* In the mountains

@ q-reminders | reminder_timing
? When should I remind you about an appointment?
? Which reminder works better for you?
* The evening before
* On the morning of the day

@ q-feedback | feedback_style
? How should I give you feedback on your writing?
? When something you wrote needs work, how do you want to hear it?
* Blunt and direct
* Gentle and encouraging

@ q-learning | learning_mode
? How do you like to learn a new skill?
? Which way of learning suits you best?
* Watching videos
* Reading a guide
* Doing hands-on exercises

@ q-summary | summary_position
? Where should the summary go in a long answer?
? In a long reply, when do you want the key takeaway?
* Up front
* At the end

@ q-focus-sound | work_sound
? What do you like to hear while you concentrate?
? Which background helps you focus?
* Silence
* Instrumental music
* Café noise

@ q-groceries | grocery_shopping
? How do you prefer to do your grocery shopping?
? Which way of buying groceries do you like better?
* Online with delivery
* In the shop

@ q-notifications | notification_style
? How should I deliver notifications?
? Which notification style would you choose?
* Bundled into one daily summary
* As soon as they happen

@ q-reading | reading_format
? What do you prefer to read books on?
? Which format do you reach for when reading a novel?
* Paper
* An e-reader

@ q-exercise | exercise_type
? What kind of exercise do you enjoy more?
? Which sounds more like your kind of workout?
* Team sports
* Training on my own

@ q-planning | planning_style
? How do you like to plan a day trip?
? For a day out, which approach suits you?
* A detailed plan in advance
* Deciding as I go

@ q-restaurants | recommendation_novelty
? When I recommend a restaurant, what should I aim for?
? Which kind of restaurant suggestion would you rather get?
* A familiar favourite
* Somewhere new to try

@ q-weekend | weekend_pace
? What does a good weekend look like for you?
? Which weekend would you pick?
* Packed with plans
* Slow and unplanned
"""

SMALL_TALK_BANK = """
What's the capital of Australia? || It's Canberra.
How many days are there in a leap year? || 366.
Can you remind me what a haiku is? || A three-line poem with five, seven and five syllables.
What's 15% of 80? || 12.
Who wrote Pride and Prejudice? || Jane Austen.
How do you say 'thank you' in Japanese? || Arigatou.
Thanks, that helped! || Glad to hear it!
Good morning! || Good morning! What can I do for you?
What time zone is Lisbon in? || Western European Time: UTC+0, and UTC+1 in summer.
Can you spell 'necessary' for me? || N-E-C-E-S-S-A-R-Y.
What's a synonym for 'happy'? || Cheerful, glad or content.
What does 'RSVP' stand for? || Répondez s'il vous plaît: please reply.
How many planets are in the solar system? || Eight.
Who painted the Mona Lisa? || Leonardo da Vinci.
What's the plural of 'cactus'? || Cacti, or cactuses.
Is there a word that rhymes with 'orange'? || Nothing rhymes perfectly; 'door hinge' comes close.
What's the square root of 144? || 12.
How many players does a football team have on the pitch? || Eleven per side.
Thanks! || You're welcome!
Hi there || Hello! How can I help?
What year did the Berlin Wall fall? || 1989.
What's the longest river in the world? || The Nile, by most measurements, with the Amazon close behind.
How many bones are in the human body? || 206 in an adult.
What's the chemical symbol for gold? || Au.
Can you remind me what 'ephemeral' means? || Lasting a very short time.
Which planet is closest to the sun? || Mercury.
What's the opposite of 'generous'? || Stingy.
That's all, thanks. || Anytime!
Who discovered penicillin? || Alexander Fleming, in 1928.
How many continents are there? || Seven, by the most common count.
"""
