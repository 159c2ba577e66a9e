"""What the dialog asks at each step, and which choices it offers there."""

from __future__ import annotations

from bot.classify.types import SERVICE_FOR_CATEGORY
from bot.dialogs import callback, menus
from bot.dialogs import texts as t
from bot.dialogs.model import Choice, Context, Msg, Reply, State

HELP_NOW = "help_now"
HELP_NOW_CHOICE = Choice(HELP_NOW, Msg(t.HELP_NOW))

ADULT_ROUTES = ("route:chat", "route:callback")
CHILD_ROUTES = ("route:talk", "route:message")
_ROUTE_LABELS = {
    "route:talk": t.TALK_NOW,
    "route:message": t.LEAVE_MESSAGE,
    "route:chat": t.CHAT_NOW,
    "route:callback": t.CALL_ME_BACK,
}


def _choices(pairs: list[tuple[str, str]], literal: bool = False) -> list[Choice]:
    return [Choice(cid, Msg(label, literal=literal)) for cid, label in pairs]


def language_choices() -> list[Choice]:
    return _choices([(f"lang:{code}", name) for code, name in menus.LANGUAGE_NAMES.items()], True)


def topic_choice(slug: str) -> Choice:
    return Choice(f"topic:{slug}", Msg(menus.CATEGORY_LABELS[slug]))


def suggested_service(state: State) -> str:
    return SERVICE_FOR_CATEGORY.get(state.category or "other", "psychological")


def is_child(state: State) -> bool:
    return state.caller == "child"


def choices_for(state: State) -> list[Choice]:
    """The choices on offer at the current step; numbered replies map onto this list."""
    if state.lang_menu:
        return [*language_choices(), HELP_NOW_CHOICE]
    step = state.step
    found: list[Choice]
    if step in ("new", "caller"):
        callers = [(f"caller:{c}", label) for c, label in menus.CALLERS.items()]
        found = _choices(callers) + language_choices()
    elif step == "topic":
        found = []
        for item in menus.TOPIC_MENU:
            if item.startswith("group:"):
                cid, label, _ = menus.TOPIC_GROUPS[item.removeprefix("group:")]
                found.append(Choice(cid, Msg(label)))
            else:
                found.append(topic_choice(item))
    elif step == "topic_group":
        _, _, slugs = menus.TOPIC_GROUPS[state.topic_group or "rights"]
        found = [topic_choice(s) for s in slugs] + [Choice("back", Msg(t.BACK))]
    elif step == "topic_confirm":
        found = [topic_choice(s) for s in state.guesses if s != "other"] + [topic_choice("other")]
    elif step == "safety":
        found = _choices([(f"safety:{a}", label) for a, label in menus.SAFETY_ANSWERS.items()])
        found.append(Choice("skip", Msg(t.SKIP)))
    elif step == "age":
        bands = menus.CHILD_AGE_BANDS if is_child(state) else menus.AGE_BANDS
        found = _choices([(f"age:{band}", band) for band in bands], True)
        found.append(Choice("skip", Msg(t.SKIP)))
    elif step == "gender":
        found = _choices([(f"gender:{g}", label) for g, label in menus.GENDERS.items()])
        found.append(Choice("skip", Msg(t.SKIP)))
    elif step == "region":
        found = _choices([(f"region:{r}", label) for r, label in menus.REGIONS.items()])
        found.append(Choice("skip", Msg(t.SKIP)))
    elif step == "service":
        first = suggested_service(state)
        order = [first] + [s for s in menus.SERVICES if s != first]
        found = _choices([(f"service:{s}", menus.SERVICES[s]) for s in order])
    elif step == "route":
        routes = CHILD_ROUTES if is_child(state) else ADULT_ROUTES
        found = _choices([(r, _ROUTE_LABELS[r]) for r in routes])
    elif step in callback.STEPS:
        found = callback.choices(state)
    else:  # free-text steps: message, done, crisis
        found = []
    if step not in ("crisis", "done"):
        found.append(HELP_NOW_CHOICE)
    return found


def numbered(choices: list[Choice]) -> list[tuple[int, Choice]]:
    """Numbers for text channels: 'I need help now' is always 0, the rest count from 1."""
    out: list[tuple[int, Choice]] = []
    n = 0
    for choice in choices:
        if choice.id == HELP_NOW:
            out.append((0, choice))
        else:
            n += 1
            out.append((n, choice))
    return out


def within(ctx: Context) -> Msg:
    """ "within 12 hours": the honest wait when nobody is on shift (from the settings)."""
    n = ctx.reply_within_hours
    return Msg(t.WITHIN_HOURS[0], plural=t.WITHIN_HOURS[1], n=n, args=(("n", n),))


def question(state: State, ctx: Context) -> list[Msg]:
    """The question of the current step, as asked when the step is entered or resumed.

    Written for an adult; `register.speak` gives a child the child's own texts."""
    step = state.step
    someone = ctx.on_duty or state.staff_here
    if state.lang_menu:
        return [Msg(t.CHOOSE_LANGUAGE)]
    if step in callback.STEPS:
        return callback.question(state)
    asked = {
        "new": t.ASK_CALLER,
        "caller": t.ASK_CALLER,
        "topic": t.ASK_TOPIC_ADULT,
        "topic_group": t.ASK_TOPIC_GROUP,
        "topic_confirm": t.CONFIRM_TOPIC,
        "safety": t.ASK_SAFETY_CHILD,
        "age": t.ASK_AGE_ADULT,
        "gender": t.ASK_GENDER_ADULT,
        "region": t.ASK_REGION,
        "service": t.ASK_SERVICE,
        "route": t.OFFER_TALK_ADULT,
        "crisis": t.CRISIS_WAITING if someone else t.CRISIS_WAITING_NOBODY,
        "done": t.AFTER_DONE,
    }
    if step != "message":
        return [Msg(asked[step])]
    if state.told:
        return [Msg(t.MESSAGE_RECEIVED) if someone else _later(t.MESSAGE_RECEIVED_LATER, ctx)]
    if someone:
        return [Msg(t.LEAVE_MESSAGE_PROMPT)]
    return [_later(t.LEAVE_MESSAGE_PROMPT_LATER, ctx)]


def _later(key: str, ctx: Context) -> Msg:
    return Msg.of(key, within=within(ctx))


def prompt(state: State, ctx: Context, reply: Reply | None = None) -> Reply:
    """Ask the current step's question (again) with its choices."""
    reply = reply or Reply()
    reply.messages.extend(question(state, ctx))
    reply.choices = choices_for(state)
    return reply
