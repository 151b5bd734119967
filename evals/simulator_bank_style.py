"""Phrase bank, part 1: how the assistant should answer (length, tone, format, units).

Format (parsed by `evals.simulator_phrasing.parse_topics`): `## topic`, `+` a paraphrase of
stance +1, `-` a paraphrase of stance -1, `now+`/`now-` a one-off request scoped to now,
`ask question | reply fitting +1 | reply fitting -1`, and `...` continues the line above.
"""

STYLE_BANK = """
## answer_length
+ I prefer short answers.
+ I don't like long answers.
+ Long, rambling explanations aren't for me.
+ As a rule, give me the short version.
+ I'm not a fan of walls of text; a few sentences is plenty.
+ I always appreciate it when you get straight to the point.
- I like long, detailed answers.
- In general I want the full explanation, not a summary.
- Short answers frustrate me; I'd rather have all the detail.
- I can't stand answers that are too brief.
- Please always go into depth when you answer me.
- One-line replies aren't for me, I like thorough ones.
now+ Just for this one, keep it to two sentences.
now+ I'm in a hurry right now, so the short version please.
now- This time, give me the long version.
now- Just today, go into as much detail as you can.
ask How do I boil an egg? | Simmer it for 7 to 9 minutes, then cool it in cold water.
... | Put the egg in a small pot and cover it with cold water. Bring it to a boil, then lower the heat
... so it simmers. For a soft yolk take it out after about 6 minutes, for a firm one wait 9 or 10.
... Move it straight into cold water so it stops cooking and peels easily.

## formality
+ I prefer a formal tone.
+ As a rule, keep things professional when you write for me.
+ I don't like overly casual language.
+ Slang isn't for me; I like polished, formal writing.
+ In general, write to me the way you'd write a business letter.
+ I can't stand chatty, informal replies.
- I like a relaxed, casual tone.
- Talk to me like a friend, not like a bank.
- I'm not a fan of stiff, formal wording.
- Formal language isn't for me, keep it conversational.
- I always prefer plain, friendly language over corporate speak.
- Please don't be so formal with me in general.
now+ Just for this email, make it formal.
now+ This time I need it to sound very professional, it's going to my boss.
now- For this message, keep it casual, it's for my sister.
now- Right now I just want a quick, informal note.
ask Can you draft a note asking my landlord to fix the heating?
... | Dear Mr. Smith, I am writing to request that the heating in my flat be repaired at your
... earliest convenience. Kind regards,
... | Hi! The heating's broken again, any chance someone could take a look soon? Thanks!

## code_examples
+ I like answers that include code examples.
+ Show me code whenever you can; it's how I learn best.
+ I don't like technical explanations without any code.
+ As a rule, a short snippet helps me more than a paragraph.
+ I always want a working example alongside the explanation.
+ Prose-only technical answers aren't for me.
- I'd rather you skip the code and explain the idea.
- I'm not a fan of code snippets in answers.
- In general, leave the code out; I just want the concept.
- Big blocks of code aren't for me.
- I can't stand answers that are mostly code.
- Explain things in words, please; I don't need examples in code.
now+ This time, please include a code sample.
now+ Just for this one, show me the code.
now- No code for now, just the concept please.
ask How do I reverse a list in Python?
... | Use slicing: `items[::-1]` returns a reversed copy, and `items.reverse()` reverses in place.
... | You can either make a reversed copy or reverse the list in place; the copy leaves the original
... untouched, the in-place version saves memory.

## bullet_points
+ I like bullet points.
+ Lists are easier for me to read than paragraphs.
+ In general, please format things as bullet points.
+ I'm not a fan of dense paragraphs.
+ Long blocks of prose aren't for me; break it into points.
+ I always skim, so bulleted lists work best.
- I prefer flowing paragraphs to lists.
- I don't like bullet points.
- I can't stand answers chopped into lists.
- Bulleted lists aren't for me; write it out properly.
- As a rule, use full sentences and paragraphs.
- In general I'd rather read prose than fragments.
now+ Just for this one, give me a bulleted list.
now- This time, write it as a paragraph.
ask What should I pack for a weekend hike?
... | - water - snacks - a rain jacket - a first-aid kit - a map
... | Bring plenty of water and some snacks, a rain jacket in case the weather turns, a small
... first-aid kit and a map.

## emojis
+ I like it when you use emojis.
+ Emojis make replies feel friendlier to me.
+ In general, feel free to sprinkle emojis in.
+ I'm not a fan of dry, emoji-free messages.
+ I always use emojis myself, so go ahead.
+ Plain text without any emojis isn't for me.
- I don't like emojis.
- Please never use emojis with me.
- Emojis aren't for me.
- I can't stand smiley faces in answers.
- As a rule, keep replies free of emojis.
- I find emojis distracting.
now+ This time add a few emojis, it's a birthday card.
now- For this email, no emojis please.
now- Just for this message, skip the emojis.
ask Write a short message congratulating my friend on her new job.
... | Congrats on the new job!!! 🎉🥳 So proud of you! 💪
... | Congratulations on the new job! So proud of you, they're lucky to have you.

## technical_depth
+ I like deep technical detail.
+ Don't simplify things for me; I have an engineering background.
+ I'm not a fan of dumbed-down explanations.
+ High-level overviews aren't for me; I want the internals.
+ In general, go into the technical nitty-gritty.
+ I always want to know how things work under the hood.
- I prefer simple, high-level explanations.
- As a rule, please avoid jargon.
- I don't like overly technical answers.
- Deep technical detail isn't for me.
- I can't stand explanations full of acronyms.
- Keep things non-technical for me in general.
now+ This time, go deep into the technical details.
now- Just for this one, explain it like I'm five.
now- Right now I only need the big picture.
ask Why is my laptop slow?
... | Check whether one process is pegging the CPU or whether you're swapping: once RAM is full the
... OS pages to disk, and disk latency is orders of magnitude above memory latency.
... | Probably too many programs open at once. Close the ones you don't need and restart it.

## humor
+ I like a bit of humour in your replies.
+ Feel free to crack a joke now and then.
+ I'm not a fan of dead-serious answers.
+ A dry, humourless tone isn't for me.
+ In general, keep things light and playful.
+ I always enjoy a witty remark.
- I prefer a serious tone.
- Please don't make jokes in your answers.
- Jokes aren't for me, just the facts.
- I can't stand forced humour.
- As a rule, keep it straightforward and serious.
- I don't like it when you try to be funny.
now+ This time, make it funny.
now- Just for this one, no jokes, it's a condolence note.
ask Any tips for waking up earlier?
... | Put the alarm across the room: nothing motivates like a cold floor and a furious little bell.
... | Go to bed at a consistent time, avoid screens late at night, and put the alarm out of reach.

## sources_citations
+ I like answers with sources.
+ Please cite where the information comes from.
+ I always want links so I can check things myself.
+ I don't trust claims without references.
+ Unsourced answers aren't for me.
+ As a rule, include references.
- I don't need sources.
- Skip the citations, please.
- Reference lists aren't for me.
- I'm not a fan of answers cluttered with links.
- In general, just give me the answer without footnotes.
- I can't stand citations in casual answers.
now+ For this one, please include sources.
now- This time skip the references, I just need a quick idea.
ask How much sleep do adults need?
... | Seven to nine hours a night, according to the 2015 consensus statement of the American
... Academy of Sleep Medicine.
... | Most adults do best with seven to nine hours a night.

## step_by_step
+ I like numbered step-by-step instructions.
+ Walk me through things one step at a time.
+ I always follow instructions better when they're numbered.
+ I'm not a fan of instructions buried in paragraphs.
+ As a rule, break tasks into steps.
+ Vague instructions aren't for me; list every step.
- I don't need step-by-step instructions.
- Just tell me what to do; skip the numbered steps.
- Hand-holding isn't for me.
- I can't stand long lists of trivial steps.
- In general, give me the gist and I'll figure out the rest.
- I prefer a quick overview to a detailed walkthrough.
now+ This time, walk me through it step by step.
now- Just for this one, skip the steps and give me the gist.
ask How do I change a bike tyre?
... | 1. Remove the wheel. 2. Lever off the tyre. 3. Swap the tube. 4. Refit the tyre.
... 5. Pump it up and put the wheel back.
... | Take the wheel off, lever the tyre off, swap the tube and put it all back together.

## british_spelling
+ I use British spelling.
+ Please write 'colour' and 'organise', not the American forms.
+ American spelling isn't for me.
+ I'm not a fan of US spellings.
+ As a rule, stick to UK English.
+ I always write in British English.
- I prefer American spelling.
- Please use US English.
- British spellings aren't for me.
- I always write 'color' and 'organize'.
- In general, stick to American English.
- I don't like UK spellings in my documents.
now+ Just for this letter, use British spelling; it's going to London.
now- This time use American spelling, it's for a client in Ohio.
ask Write a sentence about choosing paint for my living room.
... | We've organised the colour scheme around a warm grey.
... | We've organized the color scheme around a warm gray.

## metric_units
+ I use metric units.
+ Please give measurements in kilograms and kilometres.
+ I don't like imperial units.
+ Miles and pounds aren't for me.
+ As a rule, use Celsius for temperatures.
+ I always think in metres, not feet.
- I prefer imperial units.
- In general, give me distances in miles, please.
- I'm not a fan of the metric system.
- Metric units aren't for me; I grew up with feet and inches.
- I always cook with cups and ounces.
- I can't stand converting from Celsius; use Fahrenheit.
now+ This time give it in kilometres, it's for a friend in Germany.
now- Just for this recipe, use cups.
ask How tall is the Eiffel Tower? | About 330 metres. | About 1,083 feet.

## dark_mode
+ I prefer dark mode.
+ I always switch apps to a dark theme.
+ Bright white screens aren't for me.
+ I can't stand light themes.
+ In general, suggest dark colour schemes.
+ I'm not a fan of light mode.
- I prefer a light theme.
- Dark mode isn't for me.
- I don't like dark colour schemes.
- As a rule, I keep everything in light mode.
- I find dark themes hard to read.
- I always go for bright, light interfaces.
now+ Just for this deck, use the dark slide template.
now- This time, use a light background for the slides.
ask Which theme should I use for my new code editor?
... | Try a dark theme like One Dark, it's easy on the eyes.
... | Try a light theme like Solarized Light, it's crisp and readable.
"""
