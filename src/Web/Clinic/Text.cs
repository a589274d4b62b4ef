using System.Globalization;

namespace EventSourcedClinic.Web.Clinic;

/// <summary>
/// The app's words in English and Welsh (Cymraeg). Each page asks for its English text; a person who chose Welsh gets
/// the Welsh for it (every string a page uses has one: a test reads the pages). The choice is remembered in a cookie.
/// Dates and times are always London's.
/// </summary>
public sealed class Text(IHttpContextAccessor context)
{
    public const string Cookie = "clinic.lang";

    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public bool Welsh => context.HttpContext?.Request.Cookies[Cookie] == "cy";

    public string Language => Welsh ? "cy" : "en";

    public string this[string english] => Welsh && Cymraeg.TryGetValue(english, out var welsh) ? welsh : english;

    /// <summary>The words for one of the API's codes (a status, a funding): the English name, or its Welsh.</summary>
    public string Code(string code) => this[EnglishCodes.GetValueOrDefault(code, code)];

    private static readonly IReadOnlyDictionary<string, string> EnglishCodes = new Dictionary<string, string>
    {
        ["held"] = "Held, not yet paid", ["confirmed"] = "Booked", ["started"] = "Under way", ["completed"] = "Took place",
        ["patientDidNotAttend"] = "Missed", ["cancelled"] = "Cancelled", ["holdExpired"] = "Not paid in time",
        ["selfPay"] = "Paid by you", ["nhs"] = "Funded by the NHS", ["free"] = "Free",
    };

    /// <summary>A format string's Welsh, then formatted.</summary>
    public string Format(string english, params object[] args) => string.Format(CultureInfo.InvariantCulture, this[english], args);

    private CultureInfo Culture => CultureInfo.GetCultureInfo(Welsh ? "cy-GB" : "en-GB");

    public DateTimeOffset InLondon(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, London);

    /// <summary>"Tuesday 3 March 2027"</summary>
    public string Day(DateTimeOffset at) => InLondon(at).ToString("dddd d MMMM yyyy", Culture);

    /// <summary>"10:30am" in English, "10:30" in Welsh.</summary>
    public string Time(DateTimeOffset at) =>
        Welsh ? InLondon(at).ToString("HH:mm", Culture) : InLondon(at).ToString("h:mmtt", CultureInfo.InvariantCulture).ToLowerInvariant();

    public string When(DateTimeOffset at) => $"{Day(at)}, {Time(at)}";

    public static string Money(int pence) => (pence / 100m).ToString("£#,##0.00", CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>The Welsh for each English string the pages use.</summary>
    public static readonly IReadOnlyDictionary<string, string> Cymraeg = new Dictionary<string, string>
    {
        ["EventSourcedClinic"] = "EventSourcedClinic",
        ["Skip to main content"] = "Neidio i’r prif gynnwys",
        ["Menu"] = "Dewislen",
        ["Browse"] = "Pori",
        ["More"] = "Mwy",
        ["Home"] = "Hafan",
        ["Find a therapist"] = "Dod o hyd i therapydd",
        ["My appointments"] = "Fy apwyntiadau",
        ["My calendar"] = "Fy nghalendr",
        ["Sign in"] = "Mewngofnodi",
        ["Sign out"] = "Allgofnodi",
        ["Cymraeg"] = "Cymraeg",
        ["English"] = "English",
        ["Change language"] = "Newid iaith",
        ["If you need help now"] = "Os oes angen help arnoch nawr",
        ["This service is not for emergencies. If you or someone else is in danger now, call 999. For urgent mental health help, call NHS 111 and choose option 2. To talk to someone any time, call Samaritans free on 116 123."] =
            "Nid yw’r gwasanaeth hwn ar gyfer argyfyngau. Os ydych chi neu rywun arall mewn perygl nawr, ffoniwch 999. Am help iechyd meddwl brys, ffoniwch GIG 111 a dewis opsiwn 2. I siarad â rhywun unrhyw bryd, ffoniwch y Samariaid am ddim ar 116 123.",
        ["Talking therapy online, with a therapist who speaks your language"] = "Therapi siarad ar-lein, gyda therapydd sy’n siarad eich iaith",
        ["Find a therapist by the language they speak, the kind of therapy they offer and when they are free. Book and pay for a session, then meet by video."] =
            "Dewch o hyd i therapydd yn ôl yr iaith maen nhw’n ei siarad, y math o therapi maen nhw’n ei gynnig a phryd maen nhw’n rhydd. Archebwch a thalwch am sesiwn, yna cyfarfod drwy fideo.",
        ["Language"] = "Iaith",
        ["Any language"] = "Unrhyw iaith",
        ["Type of therapy"] = "Math o therapi",
        ["Any type"] = "Unrhyw fath",
        ["What it can help with"] = "Beth y gall helpu gydag ef",
        ["Anything"] = "Unrhyw beth",
        ["Search"] = "Chwilio",
        ["{0} therapists found"] = "Daethpwyd o hyd i {0} therapydd",
        ["No therapist matches. Try fewer choices."] = "Nid oes therapydd yn cyfateb. Rhowch gynnig ar lai o ddewisiadau.",
        ["Speaks"] = "Yn siarad",
        ["Offers"] = "Yn cynnig",
        ["Helps with"] = "Yn helpu gyda",
        ["Fee"] = "Ffi",
        ["{0} for {1} minutes"] = "{0} am {1} munud",
        ["Registered with"] = "Wedi cofrestru gyda",
        ["See profile and free times"] = "Gweld proffil ac amseroedd rhydd",
        ["Free times"] = "Amseroedd rhydd",
        ["No free times in the next two weeks."] = "Dim amseroedd rhydd yn ystod y pythefnos nesaf.",
        ["Book {0}"] = "Archebu {0}",
        ["Sign in to book"] = "Mewngofnodi i archebu",
        ["There is a problem"] = "Mae problem",
        ["Your appointments"] = "Eich apwyntiadau",
        ["Upcoming"] = "I ddod",
        ["Past"] = "Yn y gorffennol",
        ["You have no upcoming appointments."] = "Nid oes gennych unrhyw apwyntiadau i ddod.",
        ["Appointment"] = "Apwyntiad",
        ["With"] = "Gyda",
        ["When"] = "Pryd",
        ["Status"] = "Statws",
        ["View"] = "Gweld",
        ["Pay {0} now"] = "Talu {0} nawr",
        ["Your time is held until {0}. Pay to confirm it."] = "Mae eich amser yn cael ei gadw tan {0}. Talwch i’w gadarnhau.",
        ["We are confirming your payment. This page will update."] = "Rydym yn cadarnhau eich taliad. Bydd y dudalen hon yn diweddaru.",
        ["Your session is booked"] = "Mae eich sesiwn wedi’i harchebu",
        ["We have sent you a confirmation."] = "Rydym wedi anfon cadarnhad atoch.",
        ["Add to your calendar"] = "Ychwanegu at eich calendr",
        ["Held, not yet paid"] = "Wedi’i chadw, heb ei thalu eto",
        ["Booked"] = "Wedi’i harchebu",
        ["Under way"] = "Ar y gweill",
        ["Took place"] = "Wedi digwydd",
        ["Missed"] = "Wedi’i methu",
        ["Cancelled"] = "Wedi’i chanslo",
        ["Not paid in time"] = "Heb ei thalu mewn pryd",
        ["Sessions this week"] = "Sesiynau’r wythnos hon",
        ["Previous week"] = "Wythnos flaenorol",
        ["Next week"] = "Wythnos nesaf",
        ["No sessions this week."] = "Dim sesiynau’r wythnos hon.",
        ["Session"] = "Sesiwn",
        ["Funding"] = "Cyllid",
        ["Paid by you"] = "Wedi’i thalu gennych chi",
        ["Funded by the NHS"] = "Wedi’i hariannu gan y GIG",
        ["Free"] = "Am ddim",
        ["Page not found"] = "Heb ddod o hyd i’r dudalen",
        ["If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."] =
            "Os gwnaethoch deipio’r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch ludo’r cyfeiriad gwe, gwiriwch eich bod wedi copïo’r cyfeiriad cyfan.",
        ["Sorry, there is a problem with the service"] = "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth",
        ["Try again later."] = "Rhowch gynnig arall arni yn nes ymlaen.",
        ["Sorry, the service is unavailable"] = "Mae’n ddrwg gennym, nid yw’r gwasanaeth ar gael",
        ["Back"] = "Yn ôl",
        ["Signed in as {0}"] = "Wedi mewngofnodi fel {0}",
        ["Video session"] = "Sesiwn fideo",
        ["You have no past appointments."] = "Nid oes gennych unrhyw apwyntiadau yn y gorffennol.",
        ["Results pages"] = "Tudalennau canlyniadau",
        ["Previous"] = "Blaenorol",
        ["Next"] = "Nesaf",
        ["Audit and compliance"] = "Archwilio a chydymffurfio",
        ["The audit trail's hash chain"] = "Cadwyn hash y trywydd archwilio",
        ["Every event is chained to the one before it by a keyed hash. Verifying recomputes the whole chain and lists any event that was altered, deleted, reordered or inserted."] =
            "Mae pob digwyddiad wedi’i gadwyno i’r un cyn hynny gan hash ag allwedd. Mae gwirio yn ailgyfrifo’r gadwyn gyfan ac yn rhestru unrhyw ddigwyddiad a gafodd ei newid, ei ddileu, ei aildrefnu neu ei fewnosod.",
        ["The chain is intact: {0} events in {1} streams checked in {2} seconds."] = "Mae’r gadwyn yn gyfan: gwiriwyd {0} digwyddiad mewn {1} ffrwd mewn {2} eiliad.",
        ["The chain is broken: {0} problems"] = "Mae’r gadwyn wedi torri: {0} problem",
        ["Verify the chain now"] = "Gwirio’r gadwyn nawr",
        ["Break-glass reads to review"] = "Darlleniadau torri’r gwydr i’w hadolygu",
        ["None waiting."] = "Dim yn aros.",
        ["Who"] = "Pwy",
        ["Reason given"] = "Rheswm a roddwyd",
        ["How we contact you"] = "Sut rydym yn cysylltu â chi",
        ["Your choices are saved."] = "Mae eich dewisiadau wedi’u cadw.",
        ["We tell you when a session is booked, moved or cancelled, remind you before it, and tell you when you have a message. We never put what your therapist wrote in these notices."] =
            "Rydym yn dweud wrthych pan fydd sesiwn wedi’i harchebu, ei symud neu ei chanslo, yn eich atgoffa cyn hynny, ac yn dweud wrthych pan fydd gennych neges. Nid ydym byth yn rhoi’r hyn a ysgrifennodd eich therapydd yn yr hysbysiadau hyn.",
        ["How should we tell you?"] = "Sut ddylem ni ddweud wrthych?",
        ["Choose at least one."] = "Dewiswch o leiaf un.",
        ["By email"] = "Drwy e-bost",
        ["By text message"] = "Drwy neges destun",
        ["On this device (notifications)"] = "Ar y ddyfais hon (hysbysiadau)",
        ["Language of the notices"] = "Iaith yr hysbysiadau",
        ["Quiet hours"] = "Oriau tawel",
        ["We hold notices during these hours (UK time), for example 21:00 to 08:00. Leave both empty for none."] =
            "Rydym yn dal hysbysiadau yn ôl yn ystod yr oriau hyn (amser y DU), er enghraifft 21:00 i 08:00. Gadewch y ddau yn wag i gael dim.",
        ["From"] = "O",
        ["Until"] = "Tan",
        ["Save your choices"] = "Cadw eich dewisiadau",
        ["Notifications"] = "Hysbysiadau",
        ["Caseload"] = "Llwyth achosion",
        ["Patients with a risk flag come first. A fall in a score is an improvement."] = "Mae cleifion â baner risg yn dod gyntaf. Mae gostyngiad mewn sgôr yn welliant.",
        ["Patient"] = "Claf",
        ["Risk"] = "Risg",
        ["Next session"] = "Sesiwn nesaf",
        ["Risk flagged"] = "Baner risg",
        ["None"] = "Dim",
        ["(erased)"] = "(wedi’i ddileu)",
        ["No scores yet."] = "Dim sgoriau eto.",
        ["Their latest PHQ-9 answer to question 9 (thoughts of being better off dead or of self-harm) was above zero."] =
            "Roedd eu hateb diweddaraf i gwestiwn 9 PHQ-9 (meddyliau y byddai’n well petaent wedi marw neu o hunan-niweidio) yn uwch na sero.",
        ["Cancel this appointment"] = "Canslo’r apwyntiad hwn",
        ["You will get {0} back."] = "Byddwch yn cael {0} yn ôl.",
        ["The session is less than {0} hours away, so the fee of {1} will not be refunded."] =
            "Mae’r sesiwn lai na {0} awr i ffwrdd, felly ni fydd y ffi o {1} yn cael ei had-dalu.",
        ["Nothing has been charged, so there is nothing to refund."] = "Nid oes dim wedi’i godi, felly nid oes dim i’w ad-dalu.",
        ["Why are you cancelling?"] = "Pam ydych chi’n canslo?",
        ["Your therapist will see this."] = "Bydd eich therapydd yn gweld hyn.",
        ["Questionnaires"] = "Holiaduron",
        ["Your scores over time"] = "Eich sgoriau dros amser",
        ["Scores above the dashed line suggest you may benefit from treatment. Lower is better."] =
            "Mae sgoriau uwchben y llinell doredig yn awgrymu y gallech elwa o driniaeth. Mae is yn well.",
        ["You have not answered this questionnaire yet."] = "Nid ydych wedi ateb yr holiadur hwn eto.",
        ["Answer {0}"] = "Ateb {0}",
        ["Date"] = "Dyddiad",
        ["Score"] = "Sgôr",
        ["{0} scores, from {1} to {2}"] = "{0} sgôr, o {1} i {2}",
        ["Submit your answers"] = "Cyflwyno eich atebion",
        ["Answer every question"] = "Atebwch bob cwestiwn",
        ["Thank you. Your score is {0}."] = "Diolch. Eich sgôr yw {0}.",
        ["You said you have had thoughts of being better off dead or of hurting yourself. Please talk to someone now: call NHS 111 and choose option 2, or Samaritans free on 116 123. If you are in danger now, call 999."] =
            "Dywedoch eich bod wedi cael meddyliau y byddai’n well petaech wedi marw neu o’ch niweidio eich hun. Siaradwch â rhywun nawr: ffoniwch GIG 111 a dewis opsiwn 2, neu’r Samariaid am ddim ar 116 123. Os ydych mewn perygl nawr, ffoniwch 999.",
        ["PHQ-9 (low mood)"] = "PHQ-9 (hwyliau isel)",
        ["GAD-7 (anxiety)"] = "GAD-7 (gorbryder)",
        ["Over the last 2 weeks, how often have you been bothered by any of the following problems?"] =
            "Dros y pythefnos diwethaf, pa mor aml ydych chi wedi cael eich poeni gan unrhyw un o’r problemau canlynol?",
        ["Not at all"] = "Ddim o gwbl",
        ["Several days"] = "Sawl diwrnod",
        ["More than half the days"] = "Mwy na hanner y dyddiau",
        ["Nearly every day"] = "Bron bob dydd",
        ["Little interest or pleasure in doing things"] = "Ychydig o ddiddordeb neu bleser mewn gwneud pethau",
        ["Feeling down, depressed, or hopeless"] = "Teimlo’n isel, yn ddigalon neu’n anobeithiol",
        ["Trouble falling or staying asleep, or sleeping too much"] = "Trafferth cysgu neu aros i gysgu, neu gysgu gormod",
        ["Feeling tired or having little energy"] = "Teimlo’n flinedig neu heb lawer o egni",
        ["Poor appetite or overeating"] = "Archwaeth gwael neu orfwyta",
        ["Feeling bad about yourself, or that you are a failure or have let yourself or your family down"] =
            "Teimlo’n wael amdanoch eich hun, neu eich bod yn fethiant neu wedi siomi eich hun neu eich teulu",
        ["Trouble concentrating on things, such as reading the newspaper or watching television"] =
            "Trafferth canolbwyntio ar bethau, fel darllen y papur newydd neu wylio’r teledu",
        ["Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual"] =
            "Symud neu siarad mor araf y gallai pobl eraill fod wedi sylwi, neu’r gwrthwyneb: bod mor aflonydd eich bod wedi bod yn symud o gwmpas llawer mwy nag arfer",
        ["Thoughts that you would be better off dead, or of hurting yourself in some way"] =
            "Meddyliau y byddai’n well petaech chi wedi marw, neu o’ch niweidio eich hun mewn rhyw ffordd",
        ["Feeling nervous, anxious or on edge"] = "Teimlo’n nerfus, yn bryderus neu ar bigau’r drain",
        ["Not being able to stop or control worrying"] = "Methu stopio neu reoli poeni",
        ["Worrying too much about different things"] = "Poeni gormod am wahanol bethau",
        ["Trouble relaxing"] = "Trafferth ymlacio",
        ["Being so restless that it is hard to sit still"] = "Bod mor aflonydd fel ei bod yn anodd eistedd yn llonydd",
        ["Becoming easily annoyed or irritable"] = "Mynd yn flin neu’n bigog yn hawdd",
        ["Feeling afraid as if something awful might happen"] = "Teimlo ofn fel petai rhywbeth ofnadwy yn mynd i ddigwydd",
        ["Check again"] = "Gwirio eto",
        ["Join the video session"] = "Ymuno â’r sesiwn fideo",
        ["You are in the waiting room. Your therapist will let you in soon; this page will update."] =
            "Rydych chi yn yr ystafell aros. Bydd eich therapydd yn eich gadael i mewn cyn bo hir; bydd y dudalen hon yn diweddaru.",
        ["Important"] = "Pwysig",
        ["Your patient is waiting"] = "Mae eich claf yn aros",
        ["Let them in"] = "Gadael nhw i mewn",
        ["Messages"] = "Negeseuon",
        ["Send"] = "Anfon",
        ["Your message"] = "Eich neges",
        ["No messages yet."] = "Dim negeseuon eto.",
        ["This message was withdrawn."] = "Tynnwyd y neges hon yn ôl.",
        ["You"] = "Chi",
        ["Clinic desk"] = "Desg y clinig",
    };
}
