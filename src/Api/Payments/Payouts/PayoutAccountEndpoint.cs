using EventSourcedClinic.Domain.Payments;
using EventSourcedClinic.Integrations.Payments;

namespace EventSourcedClinic.Api.Payments.Payouts;

/// <summary>
/// A therapist sets up how they are paid (ADR 0014): the clinic opens a Stripe Express account for them (once; asking
/// again answers the same account) and sends them to Stripe's onboarding, which returns them to the web app. Stripe's
/// account.updated says when the account can take money. Their own payouts to their bank they see on Stripe's Express
/// dashboard, through a one-time sign-in link.
/// </summary>
public static class PayoutAccountEndpoint
{
    public static ProblemDetails Validate(OnboardingRequest command) => Problems.Validate(command, Validator.Instance);

    [WolverinePost("/api/therapists/{therapistId}/payout-account"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<PayoutOnboarding>(StatusCodes.Status200OK)]
    public static async Task<IResult> Post(
        OnboardingRequest command, Guid therapistId, ClaimsPrincipal user, IDocumentSession session, IPayoutProvider payouts, TimeProvider time,
        CancellationToken cancellation)
    {
        if (!Actor.From(user).MayActForTherapist(therapistId) || await session.Events.FetchStreamStateAsync(therapistId, cancellation) is null)
        {
            return Results.Problem(Problems.NotFound("therapist"));
        }

        var account = await session.LoadAsync<PayoutAccount>(PayoutAccount.StreamId(therapistId), cancellation);
        var accountId = account?.AccountId ?? (await payouts.CreateAccountAsync(therapistId, $"payout-account-{therapistId}", cancellation)).AccountId;
        if (account is null)
        {
            session.Start<PayoutAccount>(PayoutAccount.StreamId(therapistId), OpenPayoutAccount.Decide(null, therapistId, accountId, time.GetUtcNow()));
        }

        var url = await payouts.CreateOnboardingLinkAsync(accountId, command.ReturnUrl, command.RefreshUrl, cancellation);
        return Results.Ok(new PayoutOnboarding(accountId, url, account?.Ready ?? false));
    }

    public sealed class Validator : AbstractValidator<OnboardingRequest>
    {
        /// <summary>Built once: building a validator compiles its rules.</summary>
        public static readonly Validator Instance = new();

        public Validator()
        {
            RuleFor(x => x.ReturnUrl).Must(WebAddress.IsValid).WithMessage("'returnUrl' is an absolute http or https address.");
            RuleFor(x => x.RefreshUrl).Must(WebAddress.IsValid).WithMessage("'refreshUrl' is an absolute http or https address.");
        }
    }
}

/// <summary>A therapist's payout account as it stands, and a way into their own Stripe dashboard.</summary>
public static class PayoutAccountReadEndpoints
{
    [WolverineGet("/api/therapists/{therapistId}/payout-account"), Authorize(Roles = $"{ClinicRoles.Therapist},{ClinicRoles.Admin}")]
    [ProducesResponseType<PayoutAccountView>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid therapistId, ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation) =>
        Actor.From(user).MayActForTherapist(therapistId)
        && await session.LoadAsync<PayoutAccount>(PayoutAccount.StreamId(therapistId), cancellation) is { } account
            ? Results.Ok(new PayoutAccountView(account.AccountId, account.DetailsSubmitted, account.PayoutsEnabled, account.Ready))
            : Results.Problem(Problems.NotFound("payout account"));

    [WolverinePost("/api/therapists/{therapistId}/payout-account/dashboard-link"), Authorize(Roles = ClinicRoles.Therapist)]
    [ProducesResponseType<DashboardLink>(StatusCodes.Status200OK)]
    public static async Task<IResult> PostDashboardLink(
        Guid therapistId, ClaimsPrincipal user, IQuerySession session, IPayoutProvider payouts, CancellationToken cancellation)
    {
        if (!Actor.From(user).MayActForTherapist(therapistId)
            || await session.LoadAsync<PayoutAccount>(PayoutAccount.StreamId(therapistId), cancellation) is not { } account)
        {
            return Results.Problem(Problems.NotFound("payout account"));
        }

        return account.Ready
            ? Results.Ok(new DashboardLink(await payouts.CreateDashboardLinkAsync(account.AccountId, cancellation)))
            : Results.Problem(Problems.Conflict("onboarding-unfinished", "Finish setting up payouts with Stripe first."));
    }
}

/// <summary>Where Stripe's onboarding sends the therapist back: when done, and when its link has expired.</summary>
public sealed record OnboardingRequest(string ReturnUrl, string RefreshUrl);

/// <summary>The therapist's account and the Stripe page to finish setting it up on.</summary>
public sealed record PayoutOnboarding(string AccountId, string OnboardingUrl, bool Ready);

public sealed record PayoutAccountView(string AccountId, bool DetailsSubmitted, bool PayoutsEnabled, bool Ready);

public sealed record DashboardLink(string Url);
