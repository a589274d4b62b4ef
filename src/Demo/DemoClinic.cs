using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Api.Kernel;
using EventSourcedClinic.Api.Patients.Registration;
using EventSourcedClinic.Api.PersonalData;
using EventSourcedClinic.Domain.Clinical.Consent;
using EventSourcedClinic.Domain.Clinical.History;
using EventSourcedClinic.Domain.Clinical.Outcomes;
using EventSourcedClinic.Domain.Clinical.SessionNotes;
using EventSourcedClinic.Domain.Compliance;
using EventSourcedClinic.Domain.Patients.Registration;
using EventSourcedClinic.Domain.Patients;
using EventSourcedClinic.Domain.Scheduling.Availability;
using EventSourcedClinic.Domain.Scheduling.Booking;
using EventSourcedClinic.Domain.Therapists.Onboarding;
using EventSourcedClinic.Domain.Therapists.Profile;
using EventSourcedClinic.Domain.Therapists.Suspension;
using EventSourcedClinic.Domain.Therapists.Verification;
using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain;
using EventSourcedClinic.Projections;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedClinic.Demo;

/// <summary>
/// A small clinic to try the API with: therapists across languages, methods and fees (one awaiting verification,
/// one suspended), a few patients, an admin, a compliance officer and an NHS system client. Every stream is written
/// through the same Decide functions the API uses.
/// </summary>
public static class DemoClinic
{
    public const string Password = "demo-clinic-2027";
    public const string AdminEmail = "admin@demo.clinic";
    public const string ComplianceEmail = "compliance@demo.clinic";

    public sealed record DemoTherapist(
        string Name, string Email, ProfessionalBody Body, string Number, string[] Specialisations, string[] Methods, string[] Languages,
        int FeePence, int Minutes, string Biography, bool Verified = true, bool Suspended = false, bool DropIn = false);

    public static readonly DemoTherapist[] Therapists =
    [
        new("Dr Anna Nowak", "anna.nowak@demo.clinic", ProfessionalBody.Hcpc, "PYL21873", ["anxiety", "depression", "panic"], ["cbt"], ["pl", "en"], 7500, 50,
            "Clinical psychologist offering CBT in Polish and English, with a focus on anxiety and low mood."),
        new("Tomasz Wiśniewski", "tomasz.wisniewski@demo.clinic", ProfessionalBody.Bacp, "384512", ["ocd", "health-anxiety", "anxiety"], ["cbt", "act"], ["pl", "en"], 5500, 50,
            "Accredited CBT therapist for OCD and health anxiety, working in Polish and English."),
        new("Katarzyna Zielińska", "katarzyna.zielinska@demo.clinic", ProfessionalBody.Ukcp, "2009341", ["relationships", "grief"], ["psychodynamic", "couples"], ["pl", "de", "en"], 6500, 60,
            "Psychodynamic psychotherapist and couples therapist; Polish, German and English."),
        new("Rhiannon Jones", "rhiannon.jones@demo.clinic", ProfessionalBody.Hcpc, "PYL30114", ["trauma-ptsd", "anxiety"], ["emdr", "cbt"], ["cy", "en"], 8000, 60,
            "Counselling psychologist providing EMDR and trauma-focused CBT in Welsh and English."),
        new("Gareth Pritchard", "gareth.pritchard@demo.clinic", ProfessionalBody.Bacp, "412907", ["depression", "stress", "low-self-esteem"], ["person-centred", "integrative"], ["cy", "en"], 4500, 50,
            "Person-centred counsellor in Welsh and English, for low mood, stress and self-esteem."),
        new("Dr Imran Qureshi", "imran.qureshi@demo.clinic", ProfessionalBody.Hcpc, "PYL18220", ["depression", "long-term-conditions", "insomnia"], ["cbt", "cft"], ["ur", "pa", "en"], 9000, 50,
            "Clinical psychologist working in Urdu, Punjabi and English with depression alongside long-term conditions."),
        new("Harpreet Kaur", "harpreet.kaur@demo.clinic", ProfessionalBody.Bacp, "355671", ["perinatal", "anxiety", "relationships"], ["person-centred", "cft"], ["pa", "hi", "en"], 5000, 50,
            "Counsellor in Punjabi, Hindi and English, specialising in perinatal mental health."),
        new("Dr Layla Haddad", "layla.haddad@demo.clinic", ProfessionalBody.Hcpc, "PYL27745", ["trauma-ptsd", "grief", "depression"], ["emdr", "ipt"], ["ar", "fr", "en"], 8500, 60,
            "Clinical psychologist working with refugees and survivors of trauma in Arabic, French and English."),
        new("Yusuf Ahmed", "yusuf.ahmed@demo.clinic", ProfessionalBody.Ukcp, "2011876", ["anger", "stress", "relationships"], ["integrative", "act"], ["so", "ar", "en"], 4000, 50,
            "Integrative psychotherapist in Somali, Arabic and English."),
        new("Dr Nasrin Chowdhury", "nasrin.chowdhury@demo.clinic", ProfessionalBody.Bps, "190442", ["eating-disorders", "low-self-esteem"], ["cbt", "schema"], ["bn", "en"], 9500, 60,
            "Chartered psychologist for eating disorders, offering CBT-E and schema therapy in Bengali and English."),
        new("Elena Popescu", "elena.popescu@demo.clinic", ProfessionalBody.Bacp, "398803", ["anxiety", "social-anxiety", "phobias"], ["cbt"], ["ro", "it", "en"], 5000, 50,
            "CBT therapist for social anxiety and phobias in Romanian, Italian and English."),
        new("Carmen Ruiz", "carmen.ruiz@demo.clinic", ProfessionalBody.Ukcp, "2015520", ["depression", "grief"], ["dit", "psychodynamic"], ["es", "pt", "en"], 6000, 50,
            "Dynamic interpersonal therapy in Spanish, Portuguese and English."),
        new("Mehmet Yılmaz", "mehmet.yilmaz@demo.clinic", ProfessionalBody.Bacp, "420117", ["addiction", "stress"], ["act", "mbct"], ["tr", "ku", "en"], 5500, 50,
            "ACT and mindfulness-based therapy in Turkish, Kurdish and English."),
        new("Priya Shah", "priya.shah@demo.clinic", ProfessionalBody.Bps, "201338", ["ocd", "anxiety"], ["cbt", "dbt"], ["gu", "hi", "en"], 7000, 50,
            "Psychologist offering CBT and DBT skills in Gujarati, Hindi and English."),
        new("Oliver Bennett", "oliver.bennett@demo.clinic", ProfessionalBody.Bacp, "431200", ["depression"], ["person-centred"], ["en"], 3500, 50,
            "Newly registered counsellor; verification pending.", Verified: false),
        new("Dr Marek Kowalski", "marek.kowalski@demo.clinic", ProfessionalBody.Hcpc, "PYL19981", ["depression"], ["cbt"], ["pl", "en"], 7000, 50,
            "Suspended while a complaint is reviewed.", Suspended: true),

        // Bookable at any hour with no notice, so a demo can hold, pay for, start and complete a session at once.
        new("Jordan Reid", "jordan.reid@demo.clinic", ProfessionalBody.Bacp, "440318", ["stress", "anxiety"], ["cbt"], ["en"], 6000, 20,
            "Drop-in sessions at any hour (the demo's therapist for trying a whole session end to end).", DropIn: true),
    ];

    public sealed record DemoPatient(string GivenName, string FamilyName, DateOnly DateOfBirth, string Email, string? NhsNumber, int YearsAgo = 0);

    public static readonly DemoPatient[] Patients =
    [
        new("Amira", "Khan", new DateOnly(1991, 4, 12), "amira.khan@demo.clinic", "9434765889"),
        new("Piotr", "Mazur", new DateOnly(1985, 11, 3), "piotr.mazur@demo.clinic", "4010232137"),
        new("Siân", "Evans", new DateOnly(1999, 2, 27), "sian.evans@demo.clinic", "4857773457"),
        new("James", "Taylor", new DateOnly(1978, 7, 19), "james.taylor@demo.clinic", null),
        // A former patient, last seen more than twenty years ago: outside retention, so their data may be erased.
        new("Owen", "Hughes", new DateOnly(1970, 1, 8), "owen.hughes@demo.clinic", null, YearsAgo: 22),
    ];

    public static async Task<bool> SeedAsync(IServiceProvider services, CancellationToken cancellation)
    {
        await using (var probe = services.CreateAsyncScope())
        {
            if (await probe.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByNameAsync(AdminEmail) is not null)
            {
                return false;
            }
        }

        var time = services.GetRequiredService<TimeProvider>();
        var correlation = $"seed-demo-{Guid.CreateVersion7():N}";
        void Stamp(Marten.IDocumentSession session) => AuditStamp.ApplyOperator(session, "seed-demo", correlation);

        await OpenStaffAsync(services, AdminEmail, "Alex Morgan (clinic admin)", ClinicRoles.Admin, Stamp, cancellation);
        await OpenStaffAsync(services, ComplianceEmail, "Sam Patel (data protection officer)", ClinicRoles.Compliance, Stamp, cancellation);

        var therapistIds = new Dictionary<string, (Guid Id, Availability Availability, int FeePence, int Minutes)>();
        for (var i = 0; i < Therapists.Length; i++)
        {
            var therapist = Therapists[i];
            var id = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var events = TherapistEvents(id, therapist, now);
            var hours = Accepted(SetWorkingHours.Decide(id, null, therapist.DropIn
                ? new SetWorkingHours(0, Enum.GetValues<DayOfWeek>().Select(day => new WeeklyInterval(day, TimeOnly.MinValue, new TimeOnly(23, 59))).ToArray(),
                    BufferMinutes: 0, MinimumNoticeHours: 0)
                : new SetWorkingHours(0, WeeklyHours(i), BufferMinutes: 10), now));
            var user = new ClinicUser
            {
                Id = id, UserName = therapist.Email, Email = therapist.Email, DisplayName = therapist.Name, Role = ClinicRoles.Therapist,
            };
            await OpenAsync(services, user, session =>
            {
                session.Events.StartStream<Therapist>(id, events.ToArray());
                session.Events.StartStream<Availability>(Availability.StreamId(id), hours.ToArray());
            }, Stamp, cancellation);
            therapistIds[therapist.Email] = (id, Availability.From((WorkingHoursSet)hours[0]), therapist.FeePence, therapist.Minutes);
        }

        var patientIds = new Dictionary<string, Guid>();
        foreach (var patient in Patients)
        {
            var id = Guid.CreateVersion7();
            patientIds[patient.Email] = id;
            // Registered before their demo course began, and recorded as of then.
            var registeredAt = time.GetUtcNow().AddYears(-patient.YearsAgo).AddDays(-50);
            var decision = RegisterPatient.Decide(
                id, new RegisterPatient(patient.GivenName, patient.FamilyName, patient.DateOfBirth, patient.Email, patient.NhsNumber), registeredAt);
            var user = new ClinicUser
            {
                Id = id, UserName = patient.Email, Email = patient.Email, DisplayName = $"{patient.GivenName} {patient.FamilyName}",
                Role = ClinicRoles.Patient,
            };
            var registered = (PatientRegistered)Accepted(decision)[0];
            var master = services.GetRequiredService<MasterKey>();
            using var backdated = EventClock.Backdate(registeredAt);
            await OpenAsync(services, user, session =>
            {
                session.Events.StartStream<Patient>(id, registered);
                if (registered.NhsNumber is { Value: { } number })
                {
                    session.Insert(new NhsNumberClaim(master.HashNhsNumber(number), id));
                }
            }, Stamp, cancellation);
        }

        foreach (var course in Courses)
        {
            var therapist = therapistIds[course.TherapistEmail];
            await WriteCourseAsync(services.GetRequiredService<Marten.IDocumentStore>(), Stamp, patientIds[course.PatientEmail],
                new TherapistTerms(therapist.Id, true, therapist.FeePence, therapist.Minutes), therapist.Availability, course,
                time.GetUtcNow().AddYears(-course.YearsAgo), cancellation);
        }

        await BreakGlassAsync(services, correlation, therapistIds["anna.nowak@demo.clinic"].Id, patientIds["sian.evans@demo.clinic"], time, cancellation);

        await using var scope = services.CreateAsyncScope();
        await ClientRegistry.EnsureDemoNhsSystemAsync(scope.ServiceProvider, cancellation);
        return true;
    }

    /// <summary>A course of weekly NHS-funded sessions in the past, each with a PHQ-9 and a GAD-7 (item answers).</summary>
    public sealed record DemoCourse(string PatientEmail, string TherapistEmail, int[][] Phq9, int[][] Gad7, int YearsAgo = 0);

    public static readonly DemoCourse[] Courses =
    [
        // Recovers: PHQ-9 19 -> 4, GAD-7 15 -> 3.
        new("amira.khan@demo.clinic", "imran.qureshi@demo.clinic",
            [[3, 2, 2, 2, 2, 2, 2, 3, 1], [2, 2, 2, 2, 2, 2, 2, 2, 0], [2, 2, 1, 2, 1, 1, 2, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0, 0]],
            [[3, 2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 1, 1], [2, 1, 1, 2, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0]]),
        // Reliably improves but is still a case: PHQ-9 22 -> 13.
        new("piotr.mazur@demo.clinic", "anna.nowak@demo.clinic",
            [[3, 3, 3, 2, 3, 2, 3, 3, 0], [3, 3, 2, 2, 3, 2, 3, 2, 0], [2, 3, 2, 2, 2, 2, 2, 2, 0], [2, 2, 2, 2, 2, 2, 2, 1, 0], [2, 2, 2, 2, 1, 2, 1, 1, 0], [2, 2, 2, 1, 1, 2, 1, 2, 0]],
            [[2, 2, 2, 2, 2, 2, 1], [2, 2, 2, 2, 2, 1, 1], [2, 2, 2, 1, 2, 1, 1], [2, 1, 2, 1, 2, 1, 1], [2, 1, 1, 1, 2, 1, 1], [2, 1, 1, 1, 1, 1, 1]]),
        // No reliable change, and a risk flag on the latest PHQ-9.
        new("sian.evans@demo.clinic", "rhiannon.jones@demo.clinic",
            [[2, 2, 2, 1, 1, 1, 1, 1, 0], [2, 2, 1, 1, 1, 1, 1, 1, 0], [2, 2, 2, 1, 1, 1, 1, 1, 1]],
            [[2, 2, 2, 2, 1, 1, 1], [2, 2, 2, 1, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1]]),
        // Long ago: a short course that ended twenty-two years back.
        new("owen.hughes@demo.clinic", "oliver.bennett@demo.clinic",
            [[2, 2, 1, 1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0]], [[2, 1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0, 0]], YearsAgo: 22),
    ];

    /// <summary>
    /// A long course for load tests: <paramref name="weeks"/> weekly sessions with a demo therapist, ending last week,
    /// each with a signed note, a PHQ-9 and a GAD-7 (answers from a fixed seed).
    /// </summary>
    public static async Task SeedLongCourseAsync(IServiceProvider services, Guid patientId, string therapistEmail, int weeks, CancellationToken cancellation)
    {
        var store = services.GetRequiredService<Marten.IDocumentStore>();
        await using var query = store.QuerySession();
        var therapist = (await query.Query<Projections.Therapists.TherapistDirectoryEntry>().Where(t => t.Email == therapistEmail).ToListAsync(cancellation)).Single();
        var availability = await query.LoadAsync<Availability>(Availability.StreamId(therapist.Id), cancellation)
                           ?? throw new InvalidOperationException($"{therapistEmail} has no working hours.");
        var random = new Random(2027);
        int[][] Scores(int items) => Enumerable.Range(0, weeks).Select(_ => Enumerable.Range(0, items).Select(_ => random.Next(0, 4)).ToArray()).ToArray();
        var course = new DemoCourse("", therapistEmail, Scores(9), Scores(7));
        var correlation = $"seed-long-course-{Guid.CreateVersion7():N}";
        await WriteCourseAsync(store, session => AuditStamp.ApplyOperator(session, "seed-long-course", correlation), patientId,
            new TherapistTerms(therapist.Id, true, therapist.FeePence ?? 0, therapist.SessionMinutes ?? 50), availability, course,
            services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellation);
    }

    private static async Task WriteCourseAsync(
        Marten.IDocumentStore store, Action<Marten.IDocumentSession> stamp, Guid patientId, TherapistTerms terms, Availability availability,
        DemoCourse course, DateTimeOffset now, CancellationToken cancellation)
    {
        var weeks = course.Phq9.Length;
        var courseStart = now.AddDays(-7 * weeks - 2);
        await using (var intake = store.LightweightSession())
        {
            stamp(intake);
            var history = new List<object>();
            foreach (var (entry, byPatient) in new[]
                     {
                         (new RecordHistoryEntry(HistoryKind.Intake, "Low mood and worry most days for six months; sleep poor."), true),
                         (new RecordHistoryEntry(HistoryKind.Condition, "Depressive episode", SnomedCode: "35489007"), false),
                         (new RecordHistoryEntry(HistoryKind.RiskAssessment, "Initial assessment", "Agreed safety plan: call the crisis line, stay with family.",
                             RiskToSelf: RiskLevel.Low, RiskToOthers: RiskLevel.None), false),
                     })
            {
                history.AddRange(Accepted(RecordHistoryEntry.Decide(patientId, null, entry, Guid.CreateVersion7(), byPatient ? patientId : terms.TherapistId,
                    byPatient, courseStart)));
            }

            intake.Events.Append(ClinicalHistory.StreamId(patientId), history.ToArray());
            intake.Events.Append(ConsentRecord.StreamId(patientId),
                [.. Accepted(RecordConsent.Decide(patientId, null, new RecordConsent(ConsentScope.Treatment, true, "2026-01"), courseStart)),
                 .. Accepted(RecordConsent.Decide(patientId, null, new RecordConsent(ConsentScope.ShareWithNhsTalkingTherapies, true, "2026-01"), courseStart))]);
            using (EventClock.Backdate(courseStart))
            {
                await intake.SaveChangesAsync(cancellation);
            }
        }

        for (var week = 0; week < weeks; week++)
        {
            // 09:00 London on a weekday, (weeks - week) weeks ago: the first interval of the day, so always on the grid.
            var date = UkTime.Today(now).AddDays(-7 * (weeks - week));
            while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                date = date.AddDays(-1);
            }

            var local = date.ToDateTime(new TimeOnly(9, 0));
            var start = new DateTimeOffset(local, UkTime.London.GetUtcOffset(local));
            var appointmentId = Guid.CreateVersion7();
            await using var session = store.LightweightSession();
            stamp(session);
            var held = Accepted(HoldAppointment.Decide(appointmentId, patientId, new HoldAppointment(terms.TherapistId, start, Funding.Nhs),
                terms, availability, TimeSpan.FromMinutes(15), start.AddDays(-3)));
            var appointment = Fold<Appointment>.All(held)!;
            var started = Accepted(StartSession.Decide(appointment, new StartSession(2), start));
            var completed = Accepted(CompleteSession.Decide(Fold<Appointment>.Next(appointment, started[0]), new CompleteSession(3), start.AddMinutes(terms.SessionMinutes)));
            session.Events.StartStream<Appointment>(appointmentId, [.. held, .. started, .. completed]);

            var ended = start.AddMinutes(terms.SessionMinutes);
            var afterSession = Fold<Appointment>.All([.. held, .. started, .. completed])!;
            var drafted = Accepted(DraftSessionNote.Decide(afterSession, terms.TherapistId,
                new DraftSessionNote($"Session {week + 1} of {weeks}. Reviewed the week's mood diary and set the next between-session task."), ended));
            var signed = Accepted(SignSessionNote.Decide(SessionNote.From((SessionNoteDrafted)drafted[0]), terms.TherapistId, new SignSessionNote(1), ended.AddMinutes(10)));
            session.Events.StartStream<SessionNote>(SessionNote.StreamId(appointmentId), [.. drafted, .. signed]);

            var scores = new[] { (Questionnaire.Phq9, course.Phq9[week]), (Questionnaire.Gad7, course.Gad7[week]) }
                .SelectMany(q => Accepted(RecordOutcome.Decide(patientId, Guid.CreateVersion7(), new RecordOutcome(q.Item1, q.Item2), start.AddMinutes(5))));
            // Fetched for writing, so that the inline projection knows each event's version (ADR 0009).
            (await session.Events.FetchForWriting<Projections.Clinical.OutcomeHistory>(RecordOutcome.StreamId(patientId), cancellation)).AppendMany(scores);

            // The week is recorded as if on the day, so the record can be viewed as it stood weeks ago.
            using (EventClock.Backdate(start.AddMinutes(terms.SessionMinutes + 10)))
            {
                await session.SaveChangesAsync(cancellation);
            }
        }
    }

    /// <summary>
    /// A break-glass read for the compliance officer to find: a therapist outside Siân's care team read her outcomes at a
    /// weekend, with a reason. Written as the access log writes it, in the therapist's name.
    /// </summary>
    private static async Task BreakGlassAsync(
        IServiceProvider services, string correlation, Guid therapistId, Guid patientId, TimeProvider time, CancellationToken cancellation)
    {
        var store = services.GetRequiredService<Marten.IDocumentStore>();
        await using var session = store.LightweightSession();
        AuditStamp.Apply(session, new Actor(therapistId.ToString(), ClinicRoles.Therapist, "clinic-app", null), correlation, "seed-demo break-glass");
        var outcomes = RecordOutcome.StreamId(patientId);
        var version = (await session.Events.FetchStreamStateAsync(outcomes, cancellation))?.Version ?? 0;
        var at = time.GetUtcNow().AddDays(-2);
        session.Events.Append(RecordAccessed.AccessLogStreamId(patientId), new RecordAccessed(
            Guid.CreateVersion7(), patientId, therapistId.ToString(), ClinicRoles.Therapist, "clinic-app", AccessPurpose.BreakGlass,
            PersonalText.Of(patientId, "Covering the crisis line on Saturday; patient called in distress"),
            $"GET /api/patients/{patientId}/outcomes", [new AccessedResource("OutcomeHistory", outcomes, version)], at));
        using (EventClock.Backdate(at))
        {
            await session.SaveChangesAsync(cancellation);
        }
    }

    /// <summary>Weekday mornings and afternoons for everyone, with some evenings and Saturdays so a search has variety.</summary>
    private static WeeklyInterval[] WeeklyHours(int index)
    {
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var hours = weekdays.SelectMany(day => new[]
        {
            new WeeklyInterval(day, new TimeOnly(9, 0), new TimeOnly(12, 0)),
            new WeeklyInterval(day, new TimeOnly(13, 0), new TimeOnly(17, 0)),
        }).ToList();
        if (index % 3 == 0)
        {
            hours.AddRange(weekdays.Take(3).Select(day => new WeeklyInterval(day, new TimeOnly(18, 0), new TimeOnly(21, 0))));
        }

        if (index % 4 == 1)
        {
            hours.Add(new WeeklyInterval(DayOfWeek.Saturday, new TimeOnly(10, 0), new TimeOnly(14, 0)));
        }

        return hours.ToArray();
    }

    private static List<object> TherapistEvents(Guid id, DemoTherapist t, DateTimeOffset now)
    {
        var events = new List<object>(Accepted(OnboardTherapist.Decide(id, new OnboardTherapist(t.Name, t.Email, t.Body, t.Number), now)));
        var state = Therapist.From((TherapistRegistered)events[0]);
        if (t.Verified)
        {
            state = Evolve(state, events, VerifyRegistration.Decide(state, new VerifyRegistration(1, $"{t.Body} public register"), now));
        }

        var profile = new UpdateProfile(events.Count, t.Specialisations, t.Methods, t.Languages, t.Biography, t.FeePence, t.Minutes);
        state = Evolve(state, events, UpdateProfile.Decide(state, profile, now));
        if (t.Suspended)
        {
            Evolve(state, events, SuspendTherapist.Decide(state, new SuspendTherapist(events.Count, "Complaint under review"), now));
        }

        return events;
    }

    private static Therapist Evolve(Therapist state, List<object> stream, Decision decision)
    {
        foreach (var e in Accepted(decision))
        {
            stream.Add(e);
            state = Fold<Therapist>.Next(state, e);
        }

        return state;
    }

    private static IReadOnlyList<object> Accepted(Decision decision) =>
        decision.Rejection is { } rejection
            ? throw new InvalidOperationException($"The demo clinic breaks a rule: {rejection.Rule}: {rejection.Detail}")
            : decision.Events;

    private static async Task OpenStaffAsync(
        IServiceProvider services, string email, string name, string role, Action<Marten.IDocumentSession> stamp, CancellationToken cancellation)
    {
        var user = new ClinicUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = name, Role = role };
        await OpenAsync(services, user, _ => { }, stamp, cancellation);
    }

    private static async Task OpenAsync(
        IServiceProvider services, ClinicUser user, Action<Marten.IDocumentSession> startStream, Action<Marten.IDocumentSession> stamp,
        CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var opened = await scope.ServiceProvider.GetRequiredService<AccountOpening>().OpenAsync(user, Password, startStream, stamp, cancellation);
        if (!opened.Succeeded)
        {
            throw new InvalidOperationException($"Could not open {user.Email}: {string.Join(" ", opened.Errors.Select(e => e.Description))}");
        }
    }
}
