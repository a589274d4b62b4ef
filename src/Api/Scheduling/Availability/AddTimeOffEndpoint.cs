using System.Security.Claims;
using EventSourcedClinic.Api.Hosting;
using EventSourcedClinic.Api.Identity;
using EventSourcedClinic.Domain.Scheduling.Availability;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using AvailabilityRules = EventSourcedClinic.Domain.Scheduling.Availability.Availability;

namespace EventSourcedClinic.Api.Scheduling.Availability;

/// <summary>A therapist blocks London dates; sessions already booked on them stay booked.</summary>
public static class AddTimeOffEndpoint
{
    public static ProblemDetails Validate(AddTimeOff command, Guid therapistId, ClaimsPrincipal user) =>
        Actor.From(user).MayActForTherapist(therapistId) ? Problems.Validate(command, new Validator()) : Problems.Forbidden("Therapists manage their own time off.");

    [WolverinePost("/api/therapists/{therapistId}/availability/time-off"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    public static async Task<IResult> Post(AddTimeOff command, Guid therapistId, IDocumentSession session, TimeProvider time, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<AvailabilityRules>(AvailabilityRules.StreamId(therapistId), cancellation);
        if (stream.Aggregate is not { } availability)
        {
            return Results.Problem(Problems.NotFound("availability"));
        }

        var version = stream.CurrentVersion ?? 0;
        if (command.ExpectedVersion != version)
        {
            return Results.Problem(Problems.StaleVersion("availability", version, command.ExpectedVersion));
        }

        var timeOffId = Guid.CreateVersion7();
        var decision = AddTimeOff.Decide(availability, command, timeOffId, time.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return Results.Problem(Problems.From(rejection));
        }

        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new TimeOffAdded(timeOffId, version + decision.Events.Count));
    }

    public sealed record TimeOffAdded(Guid TimeOffId, long Version);

    public sealed class Validator : AbstractValidator<AddTimeOff>
    {
        public Validator()
        {
            RuleFor(x => x.ExpectedVersion).GreaterThan(0);
            RuleFor(x => x.Reason).NotNull().MaximumLength(200);
        }
    }
}
