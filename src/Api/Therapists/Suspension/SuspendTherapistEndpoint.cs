using EventSourcedClinic.Domain.Therapists;
using EventSourcedClinic.Domain.Therapists.Suspension;
using JasperFx.Events;
using Wolverine.Marten;

namespace EventSourcedClinic.Api.Therapists.Suspension;

/// <summary>The admin suspends a therapist: out of the directory and out of booking until reinstated.</summary>
public static class SuspendTherapistEndpoint
{
    public static ProblemDetails Validate(SuspendTherapist command, IEventStream<Therapist> therapist, TimeProvider time) =>
        Decisions.Check(command, Validator.Instance, therapist, "therapist", t => SuspendTherapist.Decide(t, command, time.GetUtcNow()));

    [WolverinePost("/api/therapists/{therapistId}/suspension"), Authorize(Roles = ClinicRoles.Admin)]
    public static StreamVersion Post(SuspendTherapist command, [WriteAggregate] IEventStream<Therapist> therapist, TimeProvider time) =>
        therapist.Append(SuspendTherapist.Decide(therapist.Aggregate!, command, time.GetUtcNow()));

    public sealed class Validator : AbstractValidator<SuspendTherapist>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).StreamVersion();
            RuleFor(x => x.Reason).Reason();
        }
    }
}
