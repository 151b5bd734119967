"""Phrase bank, part 2: tastes and habits (food, exercise, books, music, travel, leisure).

Same format as `simulator_bank_style.py`.
"""

LIFE_BANK = """
## vegetarian_food
+ I'm vegetarian.
+ I don't eat meat.
+ I prefer vegetarian recipes.
+ Meat isn't for me, so keep meals plant-based.
+ As a rule, suggest dishes without meat or fish.
+ I always go for the veggie option.
- I eat pretty much everything, meat included.
- I'm not a fan of vegetarian meals; I like meat in my dinner.
- Meatless dishes aren't for me.
- In general, I want recipes with chicken, beef or fish.
- I love a good steak, so don't hold back on meat.
- I can't stand tofu-based dishes; give me proper meat.
now+ Tonight I'd like a vegetarian dinner idea.
now+ Just today, skip the meat in the suggestions.
now- For this one, a meat dish would be great, our guests love barbecue.
ask What should I make for dinner?
... | A chickpea and spinach curry with rice. | Roast chicken with potatoes and green beans.

## spicy_food
+ I love spicy food.
+ In general, the hotter the better.
+ I always add chili to everything.
+ Mild food isn't for me.
+ I'm not a fan of bland dishes; make them spicy.
+ Don't hold back on the heat in recipes for me.
- I don't like spicy food.
- I can't stand hot peppers.
- Keep it mild, please; spice really isn't for me.
- I usually avoid anything with chili.
- As a rule, no hot sauce in my recipes.
- I prefer gentle flavours to fiery ones.
now+ Tonight I'm in the mood for something really spicy.
now- Just for this one, keep it mild, my kids are eating too.
now- This time, no chili please.
ask Any ideas for a quick lunch?
... | Kimchi fried rice with a spoonful of gochujang. | A mild chicken and avocado wrap.

## morning_workouts
+ I always run in the morning.
+ I prefer working out early, before work.
+ Morning is my time to exercise.
+ Evening workouts aren't for me.
+ I'm not a fan of training after dinner.
+ As a rule, schedule my workouts for the early morning.
- I prefer to exercise in the evening.
- I'm not a morning person, so no early workouts.
- I can't stand training at 6 am.
- Early-morning runs aren't for me.
- In general, plan my training for after work.
- I like to wind down the day with a workout.
now+ Just today, let's do the workout early.
now- For now, move my workout to the evening, I have an early flight.
ask When should I fit in my runs this week?
... | Before work, around 6:30, while it's cool. | After work, around 6:30 pm, to unwind.

## scifi_books
+ I love science fiction.
+ Sci-fi is my favourite genre.
+ I always have a space opera on my nightstand.
+ I'm drawn to books about the future and other worlds.
+ In general, recommend me science fiction first.
+ Realistic fiction isn't for me; give me spaceships.
- I don't like science fiction.
- Sci-fi isn't for me.
- I can't stand books set in space.
- I'm not a fan of futuristic stories.
- As a rule, skip the sci-fi when you recommend books.
- I prefer grounded stories to science fiction.
now+ This time I'd like a sci-fi recommendation.
now- Just for this one, nothing sci-fi, it's a gift for my dad.
ask Can you recommend a novel for my holiday?
... | Try 'The Left Hand of Darkness' by Ursula K. Le Guin. | Try 'Normal People' by Sally Rooney.

## jazz
+ I love jazz.
+ Jazz is my go-to music.
+ I always have some jazz playing while I cook.
+ In general, recommend me jazz albums.
+ I'm drawn to anything with a saxophone.
+ I never get tired of jazz.
- I don't like jazz.
- Jazz isn't for me.
- I can't stand jazz, free or otherwise.
- I'm not a fan of jazz.
- As a rule, leave jazz out of my playlists.
- Jazz just sounds like noise to me.
now+ Tonight I'm in the mood for some jazz.
now- Just for this party, no jazz please.
ask What should I put on while I cook?
... | Kind of Blue by Miles Davis. | An upbeat indie pop playlist.

## classical_music
+ I love classical music.
+ I always study with Bach in the background.
+ In general, recommend symphonies and concertos.
+ Pop music isn't for me; I'd rather hear an orchestra.
+ I'm a big fan of piano sonatas.
+ Classical is what I listen to most.
- I don't like classical music.
- Classical music isn't for me.
- I find orchestral music boring.
- I'm not a fan of opera or symphonies.
- As a rule, leave classical pieces out of my playlists.
- I can't stand hours of violin music.
now+ Tonight, put on something classical for dinner.
now- Just for this workout, no classical music.
ask What music would help me study?
... | Bach's Goldberg Variations. | A lo-fi hip-hop stream.

## train_travel
+ I prefer travelling by train.
+ I always take the train when I can.
+ Flying isn't for me.
+ I'm not a fan of airports.
+ In general, suggest rail connections first.
+ I'd rather spend a few more hours on a train than fly.
- I prefer to fly.
- Long train rides aren't for me.
- I don't like travelling by train.
- As a rule, find me the fastest flight.
- I can't stand slow trains.
- In general, planes over trains for me.
now+ This time I'd like to go by train.
now- Just for this trip, find me a flight, I'm short on time.
ask How should I get from Paris to Amsterdam?
... | Take the direct train: about three and a half hours, city centre to city centre.
... | Take a flight: about an hour in the air.

## coffee
+ I'm a coffee person.
+ I always start my day with an espresso.
+ Tea isn't for me.
+ I prefer coffee to tea.
+ I'm not a fan of herbal teas.
+ In general, suggest cafés with good coffee.
- I prefer tea.
- I don't drink coffee.
- Coffee isn't for me.
- I always go for a cup of green tea.
- I can't stand the taste of coffee.
- As a rule, I pick tea houses over coffee shops.
now+ Right now I could really use a strong coffee.
now- Just today I'd like a tea recommendation instead.
ask What should I order at the café? | A flat white. | A pot of Earl Grey.

## horror_movies
+ I love horror movies.
+ The scarier the film, the better.
+ I always watch something creepy on a Friday night.
+ Gentle feel-good films aren't for me; give me horror.
+ In general, recommend horror first.
+ I'm a big fan of slasher films.
- I don't like horror movies.
- Horror isn't for me.
- I can't stand jump scares.
- I'm not a fan of scary films.
- As a rule, nothing gory.
- I avoid horror films.
now+ Tonight I want a scary movie.
now- Just for this evening, nothing scary, the kids are watching.
ask What should I watch on Friday?
... | 'Hereditary', it's properly terrifying. | 'Paddington 2', it's warm and funny.

## outdoor_activities
+ I love being outdoors.
+ I always look for hiking trails when I travel.
+ Indoor activities aren't for me.
+ In general, suggest things to do outside.
+ I'm not a fan of spending weekends indoors.
+ I prefer a day in the mountains to a day at the museum.
- I prefer indoor activities.
- Hiking isn't for me.
- I'm not an outdoorsy person.
- I don't like camping.
- As a rule, suggest museums and cafés over hikes.
- I can't stand bugs and mud.
now+ Just today, let's find something outdoors, the weather's great.
now- This time suggest something indoors, it's raining.
ask What should we do on Saturday?
... | Hike the ridge trail and have a picnic at the top.
... | Visit the science museum and grab lunch in its café.

## podcasts
+ I love podcasts.
+ I always have a podcast on during my commute.
+ I prefer listening to reading.
+ In general, recommend podcasts over articles.
+ I'm not a fan of long articles; give me something to listen to.
+ Audio is how I like to learn.
- I don't listen to podcasts.
- Podcasts aren't for me.
- I'd rather read an article than listen to one.
- I can't stand long audio episodes.
- As a rule, send me text, not audio.
- I'm not a podcast person.
now+ For now, just give me a podcast for the drive.
now- This time send me an article instead of a podcast.
ask I want to learn about the history of Rome. Where should I start?
... | The podcast 'The History of Rome' by Mike Duncan. | Mary Beard's book 'SPQR'.

## board_games
+ I love board games.
+ Game night is my favourite evening of the week.
+ I always bring a board game to parties.
+ In general, suggest board games for get-togethers.
+ I'm a big fan of strategy games like Catan.
+ Screens aren't for me when friends are over; I'd rather play on a table.
- I don't like board games.
- Board games aren't for me.
- I can't stand long rule explanations at game night.
- I'm not a fan of tabletop games.
- As a rule, don't suggest board games.
- I find board games boring.
now+ Tonight we'd like a board game suggestion.
now- Just for this party, no board games, people want to dance.
ask What should we do with friends on Saturday night?
... | A round of Catan or Ticket to Ride. | Dinner out and then a movie.

## budget_travel
+ I travel on a budget.
+ I always look for the cheapest option.
+ Luxury hotels aren't for me.
+ I'm not a fan of spending much on accommodation.
+ In general, hostels and guesthouses are fine for me.
+ As a rule, keep travel suggestions affordable.
- I like to travel in comfort.
- Cheap hostels aren't for me.
- I'd rather pay more for a nice hotel.
- I don't like budget airlines.
- In general, suggest upscale places.
- I can't stand cramped, cheap rooms.
now+ This time I need the cheapest option possible.
now- Just for this trip, let's splurge, it's our anniversary.
ask Where should I stay in Rome?
... | A clean, central guesthouse for about 60 euros a night.
... | A boutique hotel near the Spanish Steps with a rooftop bar.

## quick_recipes
+ I like quick recipes.
+ Twenty minutes is about all I'll spend cooking.
+ Elaborate recipes aren't for me.
+ I'm not a fan of long cooking projects.
+ As a rule, keep recipes simple and fast.
+ I always pick the recipe with the fewest steps.
- I enjoy long, elaborate cooking.
- Quick-fix meals aren't for me.
- I love spending a whole afternoon on a dish.
- I don't like shortcut recipes.
- In general, give me the proper slow-cooked version.
- I can't stand microwave cooking.
now+ Tonight I need something quick.
now- This time give me an ambitious recipe, I've got all afternoon.
ask What's a good pasta recipe?
... | Lemon and parmesan spaghetti, ready in 15 minutes.
... | A slow-cooked ragù: three hours on the stove, well worth it.
"""
