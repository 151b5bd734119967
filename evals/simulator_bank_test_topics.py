"""Phrase bank, test part: topics written apart from the development part, never used to tune rules.

Same format as `simulator_bank_style.py`. The topics, and every phrasing, are new: none
appears in the development part (`simulator_bank_style.py`, `simulator_bank_life.py`).
The sentence forms vary on purpose: not only "I ..." but statements about the thing
("Brevity matters to me"), reactions ("Long answers wear me out"), imperatives with a
durable scope, and one-off requests whose only sign of being one-off is the situation
they give ("I'm about to board, keep it short"), with no marker word such as "this time".
"""

TEST_TOPIC_BANK = """
## section_headings
+ Headings help me find my way around a long reply.
+ I like answers split into titled sections.
+ Whenever a reply runs past a screen, give it headings.
+ A long answer with no headings is hard going for me.
+ Titled sections are how I skim, so use them as a rule.
+ I'd never want a big reply that isn't broken up under headings.
- Headings in a chat reply feel like overkill to me.
- I find section titles in answers fussy.
- Skip the headings, please; a chat isn't a report.
- I'm happiest with replies that just flow, no titled sections.
- Answers dressed up with headers and subheaders don't suit me.
- As a rule, keep replies free of section titles.
now+ I'm printing it out to hand around at the meeting, so put headings in.
now+ This time, split it into titled sections.
now- I'm sending it as a voice note, so no headings.
now- Just for this one, drop the section titles.
ask Can you explain how compound interest works?
... | Idea: Interest is added to the balance, and later interest is earned on it too. Example: 100 at 5%
... grows to 105, then 110.25. Takeaway: Start early.
... | Interest gets added to your balance, and from then on it earns interest too, so 100 at 5% becomes
... 105 and then 110.25: the earlier you start, the more it snowballs.

## clarifying_questions
+ Ask me first if my request is ambiguous.
+ I'd rather answer a quick question than get a reply that misses the point.
+ When something I ask could mean two things, check with me before you answer.
+ Guessing what I meant usually goes wrong, so just ask.
+ I like it when you double-check what I'm after.
+ A clarifying question never bothers me.
- Don't ask me follow-up questions, just make your best guess.
- Being quizzed before I get an answer drives me up the wall.
- I'd rather you assume something sensible and say what you assumed.
- Questions back at me slow everything down; answer straight away, in general.
- I hate being asked what I mean.
- Go with your best reading of my request, always.
now+ The brief is vague because my boss was vague, so ask me whatever you need first.
now- I'm about to board, so no questions, just give me something.
now- Don't ask me anything for now, just pick something reasonable.
ask Can you plan a dinner party for me?
... | Happy to! A couple of things first: how many guests, and does anyone have dietary needs?
... | Here's a plan for six: a tomato tart to start, roast chicken with lemon potatoes, then
... chocolate mousse. Shop on Friday, cook on Saturday afternoon.

## comparison_tables
+ Comparisons are much easier for me to take in as a table.
+ I love a side-by-side table when you weigh up options.
+ Whenever you compare products, lay them out in a grid.
+ Put pros and cons in columns for me; it's how I think.
+ I find tables the clearest format there is.
+ Paragraphs comparing five things at once lose me; I need rows and columns.
- Tables don't work for me; I read on a small phone.
- I'd rather you talk me through the differences in sentences.
- Grids of cells make my eyes glaze over.
- No tables, please, as a rule.
- I'm not someone who gets much out of a table.
- Comparisons in prose stick with me better than any chart.
now+ I'm pasting it into a spreadsheet, so a table would be ideal.
now- Email clients mangle tables, so write it out in sentences.
now- This once, skip the table and just describe it.
ask Which is better for a beginner, a Kindle or a Kobo?
... | Store: Amazon (Kindle), Kobo store and library loans (Kobo). Formats: Kindle files and EPUB by
... email (Kindle), EPUB (Kobo). Price: from 110 (Kindle), from 120 (Kobo).
... | Both are fine; the Kindle ties you to Amazon's store, while the Kobo reads EPUB files directly
... and borrows library books more easily.

## praise
+ A bit of encouragement goes a long way with me.
+ I like hearing when I've done something well.
+ Tell me what's working before you tell me what isn't.
+ Warm words keep me going, so don't hold them back.
+ I always appreciate a kind word along with the critique.
+ Dry, praise-free feedback never motivates me.
- Flattery is wasted on me; give me the problems.
- I don't need compliments, I need corrections.
- Skip the "great question!" stuff with me.
- Praise in feedback makes me trust it less.
- I'm allergic to sugar-coating; be plain about what's wrong.
- As a rule, cut the pleasantries and get to the faults.
now+ I'm feeling pretty low about this draft, so be gentle with me.
now+ Tonight I could use some encouragement on it.
now- I have ten minutes before I send it, so just the problems.
ask Here's my cover letter opening: "I am writing to apply for the role." Any thoughts?
... | Good start: it's clear and polite! To make it stronger, name the role and add one line on why
... you're excited about it.
... | It's generic. Name the role, and add one line on why you fit it.

## caveats
+ Tell me about the risks, even the unlikely ones.
+ I want to hear the caveats, not just the happy path.
+ Warnings and exceptions matter to me; include them.
+ I'd rather know what could go wrong up front.
+ Leaving out the fine print never does me any favours.
+ Whenever there's a catch, mention it.
- Disclaimers bore me; just tell me what to do.
- I don't want every answer hedged with warnings.
- Hedging and fine print make answers useless to me.
- Stop qualifying everything, as a rule.
- I'm an adult, skip the safety notes.
- Caveats get in the way of the actual answer for me.
now+ It's for a client report, so list every caveat you can think of.
now- I already know the risks, just give me the steps.
now- Right now I only need the short answer, skip the warnings.
ask Can I take ibuprofen for a headache?
... | Usually yes, with food; but not if you have stomach ulcers, kidney problems or take blood
... thinners, and not for more than a few days without asking a doctor.
... | Yes, a standard dose with some food should help.

## clock_format
+ The 24-hour clock is what I use.
+ Write times like 18:30, please.
+ I always think in 24-hour time.
+ AM and PM just confuse me.
+ Give me times on the 24-hour clock, never with am or pm.
+ I'm used to reading 07:00 and 19:00, so stick to that.
- I'm a 12-hour clock person.
- Say 6:30 pm, not 18:30.
- Military time trips me up every time I see it.
- Times like 21:15 aren't something I read easily.
- Please use am and pm in general.
- I don't think in 24-hour time at all.
now+ My colleagues in Berlin will read it, so use 24-hour times.
now- Write the times with am and pm, it's for my grandmother.
now+ For this schedule, use the 24-hour clock.
ask When should I leave to catch a 7 pm train if the station is 40 minutes away?
... | Leave by 18:10 to be on the platform at 18:50. | Leave by 6:10 pm to be on the platform at 6:50 pm.

## first_names
+ Call me by my first name.
+ I like it when you address me personally.
+ Greet me by name, it feels friendlier.
+ A reply that starts with my name always feels warmer to me.
+ Using my name is fine, I'm not formal about it.
+ I'd never mind you saying my name.
- Don't use my name in replies.
- I find it odd when a chatbot says my name.
- Name-dropping me at the start of every answer is creepy.
- Leave my name out of it, as a rule.
- I'm uncomfortable when software greets me by name.
- Being addressed by name doesn't sit well with me.
now+ It's a birthday message from you to me, so use my name.
now- The screen is shared with my team, so no names.
now- This time, leave my name out.
ask Can you remind me of my appointments tomorrow?
... | Sure, Sam! You have the dentist at 9 and lunch with Priya at 1.
... | You have the dentist at 9 and lunch with Priya at 1.

## tea
+ I'm a tea drinker through and through.
+ A pot of tea is my idea of a good afternoon.
+ Tea suits me far better than anything with caffeine overload.
+ Recommend tea rooms to me rather than espresso bars.
+ I always choose a green or black tea.
+ A day without a cup of tea isn't a proper day for me.
- I don't drink tea at all.
- Tea tastes like warm water to me.
- I never order tea, so don't suggest it.
- Tea rooms aren't my scene.
- I'd pick a fizzy drink or juice over a cup of tea any day.
- Brewed leaves just do nothing for me.
now+ My aunt is visiting and she loves it, so suggest a tea room.
now- We're meeting a friend who hates tea, so find somewhere else.
now+ This evening I fancy a tea room.
ask Where should we stop for a break on our walk through town?
... | The little tea house by the river does a great pot of Assam with scones.
... | The juice bar by the river does fresh smoothies and lemonade.

## dogs
+ I'm a dog person.
+ Dogs make any day better for me.
+ I always look for dog-friendly places.
+ Holidays where the dog can come along are the only ones I book.
+ Being around dogs cheers me up.
+ I'd never choose a hotel that turns dogs away.
- I'm not a dog person.
- I keep away from dogs whenever I can.
- Dogs make me nervous, so avoid places full of them.
- Dog parks are the last place I'd want to go.
- Barking and jumping dogs ruin an outing for me.
- Pet-friendly cafés aren't my thing, as a rule.
now+ My cousin's bringing her spaniel along, so we need a dog-friendly spot.
now- My friend is allergic, so somewhere with no dogs please.
now- Just today, somewhere without dogs.
ask Can you suggest a café for Sunday brunch?
... | The Bark & Brew welcomes dogs inside and keeps a water bowl at every table.
... | Café Lumen is quiet, dog-free and does a great eggs Benedict.

## cycling
+ I get everywhere by bike.
+ Cycling is how I like to travel around the city.
+ Give me routes I can cycle, in general.
+ I'd always rather pedal than sit in traffic.
+ Bike lanes matter to me when I pick where to live.
+ I'm never happier than on two wheels.
- I don't cycle.
- Bikes are not for me, I find city traffic scary.
- Cycling routes are wasted on me.
- I'd rather walk or take the bus than get on a bike.
- Saddles and helmets put me off, as a rule.
- I gave up on bikes years ago and won't go back.
now+ The metro is on strike, so give me a bike route.
now- My knee is sore, so find me a way there without the bike.
now- Just today, no cycling, it's pouring.
ask How should I get to the office across town?
... | Take the river cycle path: about 25 minutes, flat, with a bike rack by the entrance.
... | Take the number 12 bus: about 30 minutes, and it stops right outside.

## crowds
+ I love a buzzing, crowded place.
+ Busy markets and packed festivals are my kind of fun.
+ The livelier the venue, the happier I am.
+ I always pick the popular spot with a queue.
+ Empty restaurants feel dead to me.
+ A bit of hustle and noise never puts me off.
- Crowds wear me out.
- I avoid packed places.
- Quiet spots suit me much better than busy ones.
- Queues and throngs are my idea of a bad day out.
- I'm not one for festivals or busy markets.
- Somewhere calm, as a rule, never the hot spot.
now+ It's my friend's birthday and she wants a lively night, so somewhere busy.
now- I've had a long week, so a quiet place please.
now- Tonight, somewhere calm.
ask Where should we go on Saturday afternoon?
... | The street food market downtown: music, dozens of stalls, and it's always packed.
... | The botanical garden: shady paths, a few benches, and hardly anyone there.

## desserts
+ I have a real sweet tooth.
+ Dessert is the best part of any meal for me.
+ Always leave room for pudding in my menus.
+ I love rich cakes and pastries.
+ A dinner without something sweet at the end feels unfinished.
+ Chocolate is never a bad idea with me.
- I don't care for sweets.
- Desserts are too sugary for me.
- I'd rather have cheese than cake at the end of a meal.
- Skip the pudding in my menus, as a rule.
- Sugary things give me a headache.
- I'm not into cakes or pastries.
now+ We're celebrating a promotion, so pick a place with great desserts.
now- I'm cutting sugar before the wedding, so nothing sweet.
now+ Tonight, let's end with a big dessert.
ask What should I bring to a friend's dinner?
... | A box of salted caramel brownies from the bakery on the corner.
... | A nice piece of aged cheddar with some crackers.

## museums
+ Museums are my favourite way to spend a rainy day.
+ I love wandering around galleries.
+ Put a museum on every city itinerary you plan for me.
+ I always check what's on at the local gallery when I travel.
+ I never get tired of exhibitions.
+ A trip without a museum visit feels incomplete to me.
- Museums bore me.
- I don't enjoy galleries.
- Keep museums off my itineraries.
- Looking at exhibits in glass cases never holds my attention.
- Art galleries aren't my thing, as a rule.
- I'd rather be outside than shuffling through exhibition halls.
now+ It's raining all day, so let's do a museum.
now- The kids are restless, so no museums.
now+ Only today, I'd like a gallery on the plan.
ask What should I do with a free afternoon in Amsterdam?
... | Visit the Rijksmuseum: the Rembrandts and the Delft blue rooms are worth two hours.
... | Rent a bike and ride through Vondelpark, then grab a drink by the canals.

## home_cooking
+ I cook almost every meal at home.
+ Home cooking is something I take pride in.
+ Give me recipes rather than restaurant tips, in general.
+ I'd much rather make dinner than order it.
+ Spending an evening in the kitchen relaxes me.
+ Takeaway never tastes as good to me as my own food.
- I don't cook.
- My kitchen is basically for storing takeaway menus.
- Recipes are wasted on me; tell me where to eat.
- Cooking is a chore I skip whenever I can.
- I'm not one for standing at a stove.
- Eating out suits me, as a rule.
now+ The restaurants are all booked up, so give me something to cook.
now- My oven is broken, so where can we eat out?
now- Just for tonight, restaurant ideas please.
ask What should we do for dinner on Friday?
... | Make a mushroom risotto: 30 minutes, one pot, and it feeds four.
... | Book a table at the Thai place on Market Street; they take walk-ins until nine.
"""

TEST_SMALL_TALK_BANK = """
How far is the Moon from the Earth? || About 384,000 kilometres on average.
What's the boiling point of water in Fahrenheit? || 212 degrees, at sea level.
Who composed the Four Seasons? || Antonio Vivaldi.
What language do they speak in Brazil? || Portuguese.
How many minutes are in a day? || 1,440.
What is a group of crows called? || A murder of crows.
What's the tallest mountain in Africa? || Kilimanjaro, at about 5,895 metres.
When did the first person walk on the Moon? || In July 1969.
What's 12 times 13? || 156.
Got it, cheers. || You're welcome!
Morning! || Good morning! What's on your mind?
What does 'per se' mean? || By itself, or in itself.
How many sides does a hexagon have? || Six.
I just got back from the dentist. || Hope it went well!
What's the currency of Japan? || The yen.
Who invented the telephone? || Alexander Graham Bell is usually credited, in 1876.
What's the freezing point of water in Celsius? || 0 degrees.
Which ocean is the largest? || The Pacific.
Okay, that's everything. || Talk soon!
What's the past tense of 'swim'? || Swam.
"""
