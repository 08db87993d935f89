//! Conversation scripts for generated calls. `{biz}` is replaced by the org's
//! business name. The lines are plain and varied enough that transcripts
//! read like real small-business calls and weigh a few KB.

pub struct Persona {
    pub name: &'static str,
    pub first_message: &'static str,
    pub system_prompt: &'static str,
    pub bot: &'static [&'static str],
    pub user: &'static [&'static str],
    pub closing: &'static str,
    pub summary: &'static str,
    /// Mostly outbound (reminders, lead follow-up) rather than inbound.
    pub outbound: bool,
}

pub const GENERIC: u8 = 6;

pub const PERSONAS: &[Persona] = &[
    Persona {
        name: "Receptionist",
        first_message: "Thank you for calling {biz}, this is Ava. How can I help you today?",
        system_prompt: "You are Ava, the friendly receptionist of {biz}. Answer questions about opening hours, services and prices, take messages, and book appointments in the calendar. Keep answers short and confirm names and phone numbers by repeating them.",
        bot: &[
            "Of course. Can I get your full name, please?",
            "Thanks. And what is the best number to reach you on?",
            "We are open Monday to Friday from eight in the morning until six in the evening, and Saturdays from nine until one.",
            "Let me check the calendar for you. I have an opening on Thursday at ten thirty or Friday at two fifteen. Which works better?",
            "Perfect, I have booked that for you. You will receive a text message confirmation shortly.",
            "I can take a message for the team and someone will call you back within one business day.",
            "Our standard consultation is sixty-five dollars, and most insurance plans cover part of it.",
            "Is there anything else I can help you with today?",
        ],
        user: &[
            "Hi, yes, I'd like to book an appointment for next week if possible.",
            "It's Jordan Miller, M I L L E R.",
            "You can reach me on the number I'm calling from.",
            "Thursday at ten thirty works great for me.",
            "What are your opening hours on Saturday?",
            "Do you take new patients at the moment?",
            "How much does a first visit usually cost?",
            "No, that's everything, thank you so much.",
        ],
        closing: "You're welcome! Thanks for calling {biz}, have a wonderful day.",
        summary: "The caller asked about availability at {biz} and booked an appointment; contact details were confirmed.",
        outbound: false,
    },
    Persona {
        name: "After-hours Booking",
        first_message: "Hi, you've reached {biz} after hours. I'm the virtual assistant and I can book you in or pass on an urgent message. What can I do for you?",
        system_prompt: "You handle calls for {biz} outside business hours. Book appointments for the next business days, and for anything urgent collect name, number and a short description for the on-call team.",
        bot: &[
            "I can help with that. Is this urgent, or can it wait until we open tomorrow morning?",
            "Understood. I'll mark this as urgent and the on-call technician will call you back within thirty minutes.",
            "The first available slot tomorrow is at nine fifteen. Shall I reserve it for you?",
            "Could you briefly describe the problem so the team can prepare?",
            "Got it. I've noted the address and your callback number.",
            "You're all set. You'll get a confirmation by text in a minute.",
        ],
        user: &[
            "Hi, sorry to call so late, we have a leak under the kitchen sink.",
            "It's not flooding, but it's dripping steadily.",
            "Tomorrow morning would be fine.",
            "Nine fifteen is perfect.",
            "The address is 42 Maple Street, apartment 3B.",
            "Can the technician call me before coming over?",
        ],
        closing: "Thanks for calling {biz}. We'll see you tomorrow, good night.",
        summary: "After-hours caller reported an issue to {biz}; a next-morning appointment was booked and details were recorded.",
        outbound: false,
    },
    Persona {
        name: "Appointment Reminders",
        first_message: "Hi, this is an automated call from {biz} to remind you about your appointment tomorrow. Do you have a moment?",
        system_prompt: "You call customers of {biz} to confirm, reschedule or cancel tomorrow's appointments. Be brief and polite, and never discuss medical or billing details.",
        bot: &[
            "Your appointment is tomorrow at eleven o'clock. Will you be able to make it?",
            "Great, I've confirmed your appointment. Please arrive ten minutes early.",
            "No problem. Would you like to move it to later this week instead?",
            "I have Wednesday at three or Friday at nine available.",
            "Done, your appointment has been moved. You'll get an updated confirmation by text.",
        ],
        user: &[
            "Oh yes, thanks for the reminder.",
            "Yes, I'll be there.",
            "Actually, something came up. Can we move it?",
            "Friday at nine would be better.",
            "Thanks, bye.",
        ],
        closing: "Thank you, and have a great day from everyone at {biz}.",
        summary: "Reminder call from {biz}: the customer confirmed or rescheduled their upcoming appointment.",
        outbound: true,
    },
    Persona {
        name: "Lead Qualifier",
        first_message: "Hi, this is Sam calling from {biz}. You recently asked for a quote on our website, is now a good time for two quick questions?",
        system_prompt: "You follow up on web leads for {biz}. Qualify budget, timeline and decision maker, then offer a call with a specialist. If the person is not interested, thank them and end the call.",
        bot: &[
            "Thanks! Roughly what budget did you have in mind for the project?",
            "And when would you ideally like to get started?",
            "Are you the person making the decision, or should we include someone else?",
            "That sounds like a great fit. Can I set up a fifteen-minute call with one of our specialists?",
            "Perfect, you'll receive a calendar invitation by email shortly.",
            "I completely understand. I'll make a note and we won't call again.",
        ],
        user: &[
            "Sure, I have a couple of minutes.",
            "Somewhere around five to eight thousand dollars.",
            "Ideally within the next month or so.",
            "It's me and my business partner.",
            "Yes, a call on Tuesday afternoon would work.",
            "Sorry, we already went with someone else.",
        ],
        closing: "Thanks for your time, and have a great rest of your day from {biz}.",
        summary: "Lead follow-up by {biz}: budget and timeline were qualified and next steps agreed.",
        outbound: true,
    },
    Persona {
        name: "Support Triage",
        first_message: "Welcome to {biz} support. Can you tell me what you need help with today?",
        system_prompt: "You are the first line of support for {biz}. Identify the customer, classify the issue, solve simple problems with the knowledge base and transfer complex ones to a human.",
        bot: &[
            "I'm sorry to hear that. Can you give me the email address on your account?",
            "Thanks, I found your account. When did the problem start?",
            "Let's try restarting the device: unplug it for ten seconds and plug it back in.",
            "I've opened ticket number four eight one two for you, and a specialist will follow up by email.",
            "This needs one of our technicians, so I'm transferring you now. Please hold.",
            "Is the issue resolved now?",
        ],
        user: &[
            "Hi, my internet has been dropping all morning.",
            "It's alex dot rivera at example dot com.",
            "It started around eight this morning.",
            "Okay, I've unplugged it. The lights are coming back on now.",
            "It seems to work again, thanks.",
            "No, it's still not working.",
        ],
        closing: "Thanks for contacting {biz} support. Have a good day.",
        summary: "Support call to {biz}: the issue was triaged, troubleshooting steps were given and a ticket was opened when needed.",
        outbound: false,
    },
    Persona {
        name: "Order Status",
        first_message: "Hi, thanks for calling {biz}. I can check an order for you. Do you have your order number handy?",
        system_prompt: "You answer order status questions for {biz}. Look orders up by number or phone, give delivery estimates and start returns. Never promise refunds.",
        bot: &[
            "Thanks. Let me look that up for you.",
            "Your order shipped yesterday and should arrive by Thursday.",
            "I can see the package is with the courier and out for delivery today.",
            "I can start a return for that item. You'll receive a prepaid label by email.",
            "Is there anything else about your order I can help with?",
        ],
        user: &[
            "Yes, it's order number 10482.",
            "When will it arrive?",
            "One item was the wrong size, can I return it?",
            "Great, thank you.",
            "That's all, thanks.",
        ],
        closing: "Thanks for shopping with {biz}. Goodbye!",
        summary: "Order status call to {biz}: delivery status was given and a return was started where requested.",
        outbound: false,
    },
    Persona {
        name: "Assistant",
        first_message: "Hello! Thanks for calling {biz}. How can I help you today?",
        system_prompt: "You are a helpful voice assistant for {biz}.",
        bot: &[
            "Sure, I can help with that.",
            "Could you tell me a bit more about what you need?",
            "Let me check that for you.",
            "Is there anything else I can do for you?",
        ],
        user: &[
            "Hi, I have a quick question.",
            "I wanted to ask about your services.",
            "Okay, that makes sense.",
            "No, that's all.",
        ],
        closing: "Thanks for calling {biz}. Goodbye!",
        summary: "A short general enquiry to {biz} was answered.",
        outbound: false,
    },
];

pub fn persona(index: u8) -> &'static Persona {
    PERSONAS
        .get(usize::from(index))
        .unwrap_or(&PERSONAS[usize::from(GENERIC)])
}

/// The persona for an assistant name, generic when unknown.
pub fn persona_for_name(name: Option<&str>) -> u8 {
    let Some(name) = name else { return GENERIC };
    PERSONAS
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(name))
        .and_then(|p| u8::try_from(p).ok())
        .unwrap_or(GENERIC)
}
