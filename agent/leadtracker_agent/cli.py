"""The `leadtracker-agent` command.

Exit status: 0 done; 1 not everything was done (the server was unreachable or refused part;
what was not sent is kept and retried); 2 bad usage or input; 3 the device token was refused
(pair again); 4 another agent process is busy with the same state.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import sys
import time
import urllib.parse
from pathlib import Path

from leadtracker_agent import __version__, extsort, phone, prompt, readers, reminders
from leadtracker_agent.agent import Agent, BusyError, Result, Source, device_info, locked, make_client
from leadtracker_agent.calls import Call, TimeZoneError, parse_when, resolve_tz
from leadtracker_agent.client import AuthError, Client, ClientError, HttpError, NetworkError
from leadtracker_agent.config import SETTINGS, Config, ConfigError, home_dir
from leadtracker_agent.privacy import check_number, number_key
from leadtracker_agent.store import Store
from leadtracker_agent.words import t

OK, INCOMPLETE, USAGE, AUTH, BUSY = 0, 1, 2, 3, 4


class UsageError(Exception):
    pass


def _positive(kind):
    def check(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value

    return check


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


HOME_HELP = (
    "where config and state live (default: $LEADTRACKER_AGENT_HOME, else "
    "$XDG_CONFIG_HOME/leadtracker-agent, else ~/.config/leadtracker-agent)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadtracker-agent",
        description="Sync a phone's call log (metadata only: never audio, never SMS) to LeadTracker "
        "while on shift.",
    )
    parser.add_argument("--version", action="version", version=f"leadtracker-agent {__version__}")
    parser.add_argument("--home", help=HOME_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, *, network: bool = False, source: bool = False):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        # SUPPRESS: a --home given before the command name is not overwritten by this default.
        sub.add_argument("--home", default=argparse.SUPPRESS, help=HOME_HELP)
        sub.add_argument("-v", "--verbose", action="store_true", help="print each step on standard error")
        if network:
            sub.add_argument(
                "--timeout",
                type=_positive(float),
                default=30.0,
                help="seconds to wait for the server (default 30)",
            )
            sub.add_argument(
                "--retries",
                type=_non_negative_int,
                default=4,
                help="retries on network errors and 5xx (default 4)",
            )
            sub.add_argument(
                "--backoff",
                type=_positive(float),
                default=1.0,
                help="first backoff ceiling in seconds; doubles each retry (default 1)",
            )
        if source:
            sub.add_argument(
                "--source",
                help="termux, adb or file:PATH "
                "(default: the configured one, else whichever tool is installed)",
            )
            sub.add_argument(
                "--format",
                choices=readers.FORMATS,
                help="format of a file: source (default: from its name or content)",
            )
            sub.add_argument(
                "--tz",
                help="the phone's time zone, for sources that print local time "
                "(default: configured, else this machine's)",
            )
            sub.add_argument(
                "--page-size",
                type=_positive(int),
                default=100,
                help="rows per termux-call-log page (default 100)",
            )
            sub.add_argument(
                "--batch-size",
                type=_positive(int),
                default=500,
                help="calls per request, at most 500 (default 500)",
            )
            sub.add_argument(
                "--source-timeout",
                type=_positive(float),
                default=60.0,
                help="seconds to wait for termux-call-log or adb (default 60)",
            )
        return sub

    pair = command(
        "pair",
        "Pair this phone: give the pairing link from the web app's Phones page "
        "(https://crm.example.in/p/ABCD-EFGH), or --server and --code.",
        network=True,
    )
    pair.add_argument("link", nargs="?", help="the pairing link, e.g. https://crm.example.in/p/ABCD-EFGH")
    pair.add_argument("--server", help="the LeadTracker address, e.g. https://crm.example.in")
    pair.add_argument("--code", help="the pairing code, e.g. ABCD-EFGH (single use, 15 minutes)")
    pair.add_argument("--name", help="what to call this device (default: the machine's name)")
    pair.add_argument("--ca-file", help="a CA certificate to trust (a self-signed server)")
    pair.add_argument("--force", action="store_true", help="pair again although this device is paired")

    for kind in ("in", "out"):
        punch = command(
            f"punch-{kind}",
            f"Punch {kind}: sent at once, or kept with its real time until the server is reachable.",
            network=True,
        )
        punch.add_argument("--lat", type=float, help="latitude (-90 to 90)")
        punch.add_argument("--lon", type=float, help="longitude (-180 to 180)")
        punch.add_argument("--accuracy", type=float, help="accuracy in metres")
        punch.add_argument(
            "--at", help="when it happened, if not now: HH:MM today or an RFC 3339 time (up to 24 h back)"
        )
        punch.add_argument("--tz", help="the zone of --at HH:MM (default: configured, else this machine's)")

    command(
        "sync",
        "Read the call log (24 h overlap), queue calls made on shift, send them, print one line.",
        network=True,
        source=True,
    )

    watch = command(
        "watch", "Sync in a loop while on shift (for Termux:Boot or cron).", network=True, source=True
    )
    watch.add_argument(
        "--interval", type=_positive(float), help="seconds between rounds (default: configured, else 300)"
    )
    watch.add_argument(
        "--until-off-shift", action="store_true", help="stop once off shift with nothing left to send"
    )
    watch.add_argument(
        "--poll",
        type=float,
        help="on shift, seconds between reads of the newest rows (termux; a new call is sent at "
        "once and prompted for); 0 turns it off (default: configured, else 25)",
    )
    watch.add_argument("--no-prompt", action="store_true", help="no notification after a call")
    watch.add_argument(
        "--remind-every",
        type=float,
        help="on shift, seconds between reads of your agenda to remind you of follow-ups that are "
        f"due; 0 turns it off (default: {reminders.EVERY_S})",
    )

    command(
        "setup",
        "On a paired phone: start with the phone (Termux:Boot), keep awake, start watching now, "
        "then check everything (doctor).",
        network=True,
        source=True,
    ).add_argument("--no-start", action="store_true", help="do not start the watch now")

    outcome = command("outcome", "Record how a call went (what the buttons after a call run).", network=True)
    outcome.add_argument("call", type=_positive(int), help="the server's call id")
    outcome.add_argument("outcome", help="the outcome's name (e.g. Interested) or id")

    parse = command(
        "parse", "Dry run: print the calls of a saved call log as JSON lines, oldest first. Sends nothing."
    )
    parse.add_argument("file", help="the file, or - for standard input")
    parse.add_argument(
        "--format", choices=readers.FORMATS, help="termux, adb or sbr (default: from the name or content)"
    )
    parse.add_argument("--tz", help="the phone's zone for local times (termux); default: this machine's")

    command("status", "Paired?, server, token, clock, shift, last sync, outbox, source.", network=True)
    command(
        "doctor",
        "Everything status checks, plus the source itself; reports the device state to the server.",
        network=True,
        source=True,
    )

    exclude = command("exclude", "Personal numbers whose calls are never uploaded.")
    exclude.add_argument("action", choices=("add", "remove", "list"))
    exclude.add_argument("numbers", nargs="*", metavar="NUMBER")

    config = command("config", "Show or set defaults: " + "; ".join(f"{k}: {v}" for k, v in SETTINGS.items()))
    config.add_argument("key", nargs="?", choices=tuple(SETTINGS))
    config.add_argument("value", nargs="?", help="the new value; '' to unset")
    return parser


def main(argv: list[str] | None = None) -> int:
    # Everything the agent writes (token, outbox, temporary sort files) is for this user only.
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    out = Output(verbose=getattr(args, "verbose", False))
    try:
        config = Config(home_dir(args.home))
        return HANDLERS[args.command](args, config, out)
    except (UsageError, ConfigError, TimeZoneError, readers.SourceError) as exc:
        out.error(str(exc))
        return USAGE
    except BusyError as exc:
        out.error(str(exc))
        return BUSY
    except AuthError as exc:
        out.error(str(exc))
        return AUTH
    except BrokenPipeError:
        # `parse … | head`: the reader went away; not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return OK
    except KeyboardInterrupt:
        return 130


class Output:
    def __init__(self, verbose: bool):
        self.verbose = verbose

    def line(self, text: str) -> None:
        print(text, flush=True)

    def error(self, text: str) -> None:
        print(f"leadtracker-agent: {text}", file=sys.stderr, flush=True)

    def progress(self, text: str) -> None:
        if self.verbose:
            now = time.time()
            print(
                f"[{time.strftime('%H:%M:%S', time.localtime(now))}.{int(now % 1 * 1000):03d}] {text}",
                file=sys.stderr,
                flush=True,
            )


# --- helpers -----------------------------------------------------------------------------------


def _paired(config: Config) -> None:
    if not config.paired:
        raise UsageError(
            "not paired: open the pairing link from the web app on this phone, "
            "or run `leadtracker-agent pair LINK` "
            f"(config in {config.home})"
        )


def _tz(args, config: Config):
    return resolve_tz(getattr(args, "tz", None) or config.get("tz"))


def _client(args, config: Config, out: Output) -> Client:
    return make_client(
        config, timeout=args.timeout, retries=args.retries, backoff=args.backoff, progress=out.progress
    )


def _open_store(config: Config) -> Store:
    config.ensure_home()
    return Store(str(config.state_path))


def _source(args, config: Config) -> Source:
    return Source.parse(args.source or config.get("source"), args.format or config.get("format"))


def _agent(args, config: Config, out: Output, store: Store) -> Agent:
    return Agent(
        config,
        store,
        _client(args, config, out),
        source=_source(args, config),
        tz=_tz(args, config),
        # Without --tz the zone is the configured one, which `config tz` may change mid-watch.
        tz_from_config=not args.tz,
        batch_size=args.batch_size,
        page_size=args.page_size,
        source_timeout=args.source_timeout,
        progress=out.progress,
    )


def _check_server(url: str) -> str:
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(f"--server: {url!r} must be an address like https://crm.example.in")
    if parsed.query or parsed.fragment:
        raise UsageError(f"--server: {url!r} must not have a query or fragment")
    path = parsed.path.rstrip("/")
    if path.endswith("/api/v1"):
        path = path[: -len("/api/v1")]
    return urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, path, "", ""))


# --- commands ----------------------------------------------------------------------------------


def _server_and_code(args) -> tuple[str, str]:
    if args.link:
        if args.server or args.code:
            raise UsageError("give the pairing link, or --server and --code: not both")
        try:
            return phone.parse_link(args.link)
        except phone.LinkError as exc:
            raise UsageError(str(exc)) from None
    if not (args.server and args.code):
        raise UsageError(
            "give the pairing link from the web app's Phones page: "
            "leadtracker-agent pair https://crm.example.in/p/ABCD-EFGH (or --server and --code)"
        )
    return args.server, args.code


def cmd_pair(args, config: Config, out: Output) -> int:
    server, code = _server_and_code(args)
    server = _check_server(server)
    if config.paired and not args.force:
        raise UsageError(
            f"already paired with {config.get('server')} as device {config.get('device_id')}; "
            "add --force to pair again (the outbox is kept and sent with the new token)"
        )
    code = code.strip()
    if not 4 <= len(code) <= 20:
        raise UsageError("--code: a pairing code has 4 to 20 characters")
    info = device_info()
    name = (args.name or platform.node() or "phone").strip()[:100]
    if urllib.parse.urlsplit(server).scheme == "http" and urllib.parse.urlsplit(server).hostname not in (
        "127.0.0.1",
        "localhost",
        "::1",
    ):
        out.error(
            "warning: http:// sends the device token and the call log unencrypted; "
            "use https:// outside a trusted network"
        )
    client = Client(
        server,
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        ca_file=args.ca_file,
        os_name=info["os_version"],
        progress=out.progress,
    )
    body = {
        "code": code,
        "name": name,
        "platform": info["platform"],
        "os_version": info["os_version"],
        "app_version": __version__,
    }
    try:
        _, answer = client.call("POST", "/devices/pair", body)
    except HttpError as exc:
        out.error(
            t(
                "pairing refused: {detail} ({status}); ask for a new code (they are single use and expire "
                "in 15 minutes)",
                detail=exc.detail,
                status=exc.status,
            )
        )
        return USAGE
    except NetworkError as exc:
        out.error(t("cannot reach {server}: {error}", server=server, error=exc))
        return INCOMPLETE
    if not isinstance(answer, dict) or not answer.get("token"):
        out.error("the server's answer has no token; is --server a LeadTracker server?")
        return INCOMPLETE
    config.data.update(
        server=server,
        token=answer["token"],
        device_id=answer.get("device_id"),
        user_id=answer.get("user_id"),
        organisation=answer.get("organisation"),
        name=name,
        paired_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    if args.ca_file:
        config.data["ca_file"] = os.path.abspath(args.ca_file)
    config.save()
    out.line(
        t(
            "paired: device {device} of {organisation} at {server}; token saved in {path} "
            "(readable only by you)",
            device=answer.get("device_id"),
            organisation=answer.get("organisation"),
            server=server,
            path=config.path,
        )
    )
    return OK


def _location(args) -> dict | None:
    if args.lat is None and args.lon is None:
        if args.accuracy is not None:
            raise UsageError("--accuracy: give --lat and --lon with it")
        return None
    if args.lat is None or args.lon is None:
        raise UsageError("--lat and --lon go together")
    if not -90 <= args.lat <= 90:
        raise UsageError(f"--lat: {args.lat} is not between -90 and 90")
    if not -180 <= args.lon <= 180:
        raise UsageError(f"--lon: {args.lon} is not between -180 and 180")
    location = {"lat": args.lat, "lon": args.lon}
    if args.accuracy is not None:
        if not 0 <= args.accuracy <= 100_000:
            raise UsageError(f"--accuracy: {args.accuracy} is not between 0 and 100000 metres")
        location["accuracy_m"] = args.accuracy
    return location


def cmd_punch(kind: str):
    def handler(args, config: Config, out: Output) -> int:
        _paired(config)
        location = _location(args)
        now = time.time()
        if args.at:
            try:
                at = parse_when(args.at, tz=_tz(args, config))
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            if at > now + 300:
                raise UsageError(f"--at: {args.at} is in the future")
            if at < now - 24 * 3600:
                raise UsageError(
                    f"--at: {args.at} is more than 24 hours ago; the server accepts no older punch"
                )
        else:
            at = now
        store = _open_store(config)
        with locked(config.lock_path, wait=60):
            agent = Agent(config, store, _client(args, config, out), progress=out.progress)
            message, status = agent.punch(kind, float(int(at)), location)
        out.line(message)
        return status

    return handler


def _check_batch(args) -> None:
    if getattr(args, "batch_size", 0) > 500:
        raise UsageError(f"--batch-size: {args.batch_size} is more than the protocol's 500 calls a request")


def cmd_sync(args, config: Config, out: Output) -> int:
    _paired(config)
    _check_batch(args)
    store = _open_store(config)
    with locked(config.lock_path, wait=60):
        agent = _agent(args, config, out, store)
        result = agent.sync()
    out.line(result.line())
    if not result.fatal and not result.error:
        prompt.send_kept_outcomes(agent.client, store, progress=out.line)
    return _status_of(result)


def _status_of(result: Result) -> int:
    if result.fatal:
        return AUTH
    # A punch or a call the server refused for good is not done either (docs/agent.md).
    incomplete = result.error or result.source_error or result.punches_refused or result.refused
    return INCOMPLETE if incomplete else OK


def cmd_watch(args, config: Config, out: Output) -> int:
    _paired(config)
    _check_batch(args)
    interval = args.interval or float(config.get("interval") or 300)
    poll = args.poll if args.poll is not None else float(config.get("poll") or 25)
    store = _open_store(config)
    # Built once; every round reads config.json again (exclusions, token, zone) under the lock.
    agent = _agent(args, config, out, store)
    quick = poll > 0 and agent.source.kind == "termux"
    remind_every = reminders.EVERY_S if args.remind_every is None else args.remind_every
    next_remind = 0.0
    stop = []
    # SIGTERM (Termux:Boot, kill) ends the loop between rounds, never inside a transaction.
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    out.line(
        f"watch: every {interval:g} s from {agent.source.label}"
        + (f", and the newest rows every {poll:g} s on shift" if quick else "")
        + " (Ctrl+C to stop)"
    )
    while not stop:
        started = time.monotonic()
        status = _watch_round(agent, args, config, out, wait=interval)
        if status is not None:
            return status
        next_poll = time.monotonic() + poll
        while not stop:
            # Looked at after every full round too, however short --interval is.
            if remind_every > 0 and time.monotonic() >= next_remind and store.open_shift() is not None:
                next_remind = time.monotonic() + remind_every
                _remind_round(agent, config, out)
            if time.monotonic() - started >= interval:
                break
            if quick and time.monotonic() >= next_poll:
                next_poll = time.monotonic() + poll
                if store.open_shift() is not None:
                    status = _quick_round(agent, args, config, out)
                    if status is not None:
                        return status
            time.sleep(min(1.0, interval, poll if quick else 1.0, remind_every if remind_every > 0 else 1.0))
    return OK


def _remind_round(agent: Agent, config: Config, out: Output) -> None:
    """The follow-ups whose reminder time has come, each shown once (for people without Web Push)."""
    try:
        with locked(config.lock_path, wait=5):
            shown = reminders.remind(
                agent.client, agent.store, server=agent.config.get("server"), tz=agent.tz, progress=out.line
            )
    except BusyError:
        return  # a round is at work: the next reminder round looks again
    except ClientError as exc:
        # Out of reach, or revoked (the next full round says so and stops): look again later.
        out.progress(f"remind: the agenda could not be read: {exc}")
        return
    out.progress(f"remind: {shown} follow-up(s) shown")


def _stamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _watch_round(agent: Agent, args, config: Config, out: Output, *, wait: float) -> int | None:
    """The full round (the call log back to the last read, less 24 h). An exit status to stop."""
    try:
        with locked(config.lock_path, wait=wait):
            result = agent.sync(only_if_needed=True)
    except BusyError as exc:
        out.error(str(exc))
        return None
    out.line(f"{_stamp()} {result.line()}")
    if result.fatal:
        return AUTH
    if not result.error:
        prompt.send_kept_outcomes(agent.client, agent.store, progress=out.line)
    if (
        args.until_off_shift
        and agent.store.open_shift() is None
        and result.outbox == 0
        and result.punches_waiting == 0
        and not result.error
    ):
        out.line("watch: off shift and nothing left to send; stopping")
        return OK
    return None


def _quick_round(agent: Agent, args, config: Config, out: Output) -> int | None:
    """The newest rows only; a new call is sent at once and prompted for."""
    try:
        with locked(config.lock_path, wait=5):
            result, due = prompt.quick_round(agent)
    except BusyError:
        return None  # a full round or a sync is at work: it sends the call
    except readers.SourceError as exc:
        out.progress(f"poll: {exc}")
        return None
    if result is None:
        return None
    out.line(f"{_stamp()} poll: a new call; {result.line()}")
    if result.fatal:
        return AUTH
    if due and not args.no_prompt:
        shown = prompt.prompt(agent, due, progress=out.line)
        out.progress(f"poll: {shown} notification(s) shown")
    return None


def cmd_setup(args, config: Config, out: Output) -> int:
    _paired(config)
    path = phone.write_boot_script(config)
    out.line(f"start with the phone: {path} written (open the Termux:Boot app once so Android lets it)")
    problem = phone.wake_lock()
    out.line("keep awake: " + (problem or "wake lock taken (Termux's notification says so)"))
    if not args.no_start:
        pid, started = phone.start_watch(config)
        out.line(
            f"watching: {'started' if started else 'already running'} "
            f"(process {pid}; its log is {config.home / phone.LOG_NAME})"
        )
    out.line("")
    return _report(args, config, out, probe_source=True)


def cmd_outcome(args, config: Config, out: Output) -> int:
    _paired(config)
    client = _client(args, config, out)
    try:
        name, _answer = prompt.record_outcome(client, args.call, args.outcome)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    except AuthError:
        raise
    except HttpError as exc:
        out.error(t("not saved: {detail} ({status})", detail=exc.detail, status=exc.status))
        return USAGE if exc.status < 500 else INCOMPLETE
    except NetworkError as exc:
        prompt.keep_outcome(_open_store(config), args.call, args.outcome)
        out.error(
            t("kept on the phone: the server is out of reach ({error}); the next sync sends it", error=exc)
        )
        return INCOMPLETE
    out.line(t("saved: {outcome} on call {call}", outcome=name, call=args.call))
    return OK


def cmd_parse(args, config: Config, out: Output) -> int:
    tz = _tz(args, config)
    if args.file == "-" and not args.format:
        raise UsageError("--format: needed when reading standard input")
    problems = 0
    count = 0

    def items():
        nonlocal problems, count
        for item in readers.read_file(args.file, args.format, tz):
            if isinstance(item, Call):
                count += 1
                yield item.epoch, item.device_call_id.replace("\t", " "), item.to_json()
            else:
                problems += 1
                out.error(f"skipped {item}")

    write = sys.stdout.write
    for line in extsort.sorted_lines(items()):
        write(line + "\n")
    sys.stdout.flush()
    if out.verbose or problems:
        out.error(f"parse: {count} calls" + (f", {problems} rows skipped" if problems else ""))
    return OK


def _ago(epoch) -> str:
    if not epoch:
        return t("never")
    moment = dt.datetime.fromtimestamp(epoch).astimezone()
    return t(
        "{when} ({duration} ago)", when=f"{moment:%Y-%m-%d %H:%M:%S}", duration=_duration(time.time() - epoch)
    )


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _report(args, config: Config, out: Output, *, probe_source: bool) -> int:
    rows: list[tuple[str, str, bool]] = []  # (what, text, problem)
    fixes: list[str] = []  # the one thing to do about each problem, in the order found

    def row(what: str, text: str, problem: bool = False, fix: str = ""):
        what = t(what)
        rows.append((what, text, problem))
        if problem:
            fixes.append(fix or f"{what}: {text}")

    if not config.paired:
        row("paired", t("no (config in {home})", home=config.home), True, t(FIX["unpaired"]))
    else:
        row(
            "paired",
            t(
                "device {device} of {organisation} at {server} (since {since})",
                device=config.get("device_id"),
                organisation=config.get("organisation"),
                server=config.get("server"),
                since=config.get("paired_at"),
            ),
        )
    store = _open_store(config)
    client = _client(args, config, out) if config.paired else None
    shift_text = None
    if client is not None:
        health_client = Client(
            config.get("server"), timeout=args.timeout, retries=0, ca_file=config.get("ca_file")
        )
        started = time.monotonic()
        try:
            _, health = health_client.call("GET", "/health", retry=False)
            row(
                "server",
                t(
                    "reachable in {seconds} s ({status})",
                    seconds=f"{time.monotonic() - started:.2f}",
                    status=(health or {}).get("status", "?"),
                ),
            )
            reachable = True
        except ClientError as exc:
            row("server", t("NOT reachable: {error}", error=exc), True, t(FIX["offline"]))
            reachable = False
        if reachable:
            try:
                _, shift = client.call("GET", "/attendance/shift", retry=False)
                row("token", t("valid"))
                if isinstance(shift, dict):
                    shift_text = t("open since {when} (server)", when=_ago(_server_time(shift["started_at"])))
                else:
                    shift_text = t("none open (server)")
            except AuthError:
                row("token", t("REFUSED: the phone was removed on the web app"), True, t(FIX["revoked"]))
            except ClientError as exc:
                row("token", t("could not check: {error}", error=exc), True, t(FIX["offline"]))
            offset = (
                health_client.clock_offset if health_client.clock_offset is not None else client.clock_offset
            )
            if offset is not None:
                store.set(clock_offset=offset)
                # Beyond a couple of minutes call times drift across the shift's edges, and from
                # 5 minutes ahead the server refuses calls as "in the future".
                late = abs(offset) > 120
                if abs(offset) < 2:
                    text = t("in step with the server (within 2 s; the Date header has whole seconds)")
                elif offset > 0:
                    text = t("this device is {duration} behind the server", duration=_duration(offset))
                else:
                    text = t("this device is {duration} ahead of the server", duration=_duration(offset))
                row("clock", text, late, t(FIX["clock"]))
    if shift_text is None:
        local = store.open_shift()
        shift_text = (
            t("open since {when} (as this device knows)", when=_ago(local))
            if local
            else t("none open (as this device knows)")
        )
    row("shift", shift_text)
    row("last sync", f"{_ago(store.get('last_sync_at'))}: {store.get('last_sync', '')}".rstrip(": "))
    last_error = store.get("last_error")
    row("last error", f"{last_error} ({_ago(store.get('last_error_at'))})" if last_error else t("none"))
    counts = store.counts()
    outbox_text = t(
        "{n} call(s) waiting, {punches} punch(es) waiting, {refused} refused by the server",
        n=counts["outbox"],
        punches=counts["punches"],
        refused=counts["refused"],
    )
    kept = len(store.get(prompt.KEPT, []))
    if kept:
        outbox_text += t(", {n} outcome(s) pressed offline waiting", n=kept)
    row("outbox", outbox_text, counts["refused"] > 0 and probe_source, t(FIX["refused"]))
    if args.verbose and counts["refused"]:
        for call_id, body, error in store.refused_rows():
            row("  refused", f"{call_id}: {error} — {body}")
    excluded = config.get("exclude", [])
    row("excluded", t("{n} personal number(s)", n=len(excluded)))
    permission = None
    if probe_source:
        try:
            source = _source(args, config)
            ok, text, permission = probe(source, args)
            row("source", text, not ok, _source_fix(text, permission))
        except readers.SourceError as exc:
            row("source", str(exc), True, _source_fix(str(exc), None))
        if client is not None and config.paired:
            agent = Agent(config, store, client, progress=out.progress)
            try:
                agent.report_state(permission, retry=True)
                row(
                    "reported",
                    t(
                        "device state sent (queue {n}, call log {permission})",
                        n=counts["outbox"],
                        permission=permission,
                    )
                    if permission
                    else t("device state sent (queue {n})", n=counts["outbox"]),
                )
            except ClientError as exc:
                row(
                    "reported",
                    t("could not send the device state: {error}", error=exc),
                    True,
                    t(FIX["offline"]),
                )
        if config.paired and (Path.home() / ".termux").is_dir() and not phone.boot_path().exists():
            # Under Termux only: elsewhere nothing starts the agent with the phone.
            row("start", t("the agent does not start with the phone"), True, t(FIX["boot"]))
    else:
        source_text = config.get("source") or (
            "termux" if shutil.which("termux-call-log") else "adb" if shutil.which("adb") else t("not set")
        )
        row("source", t("{source} (run doctor to test it)", source=source_text))
    width = max(len(what) for what, _, _ in rows)
    for what, text, problem in rows:
        out.line(f"{what + ':':<{width + 1}} {'!! ' if problem else ''}{text}")
    out.line("")
    if not fixes:
        out.line(t("All good: this phone sends the calls you make on shift."))
        return OK
    out.line(t("{n} thing(s) to fix. Do this first: {fix}", n=len(fixes), fix=fixes[0]))
    return INCOMPLETE


# The one thing to do about each problem doctor finds, in a telecaller's words.
FIX = {
    "unpaired": "on the web app open Phones, make a pairing code, open its link on this phone and "
    "paste the line it shows into Termux (or: leadtracker-agent pair LINK).",
    "offline": "turn on mobile data or Wi-Fi and check the web app opens in the phone's browser, then run "
    "leadtracker-agent doctor again.",
    "revoked": "this phone was removed on the web app: make a new pairing code on the Phones page and pair "
    "again (leadtracker-agent pair LINK).",
    "clock": "turn on Settings > Date & time > Set time automatically; calls with a wrong time are refused.",
    "refused": "some calls were refused by the server: show your manager `leadtracker-agent status -v`.",
    "boot": "run leadtracker-agent setup, then open the Termux:Boot app once.",
    "no_api": "install Termux:API: run `pkg install termux-api` in Termux, and install the Termux:API app "
    "from F-Droid (the same store as Termux), then open it once.",
    "permission": "allow the call log: Android Settings > Apps > Termux:API > Permissions > Call logs > "
    "Allow.",
}


def _source_fix(text: str, permission: str | None) -> str:
    if permission == "revoked" or "permission" in text:
        return t(FIX["permission"])
    if "not found" in text or "did not answer" in text or "नहीं मिला" in text:
        return t(FIX["no_api"])
    return t("the call log cannot be read: {error}", error=text)


def probe(source: Source, args) -> tuple[bool, str, str | None]:
    """Is the source there and answering? (ok, text, permission state)."""
    if source.kind == "termux":
        exe = shutil.which("termux-call-log")
        if exe is None:
            return (
                False,
                t("termux-call-log not found: pkg install termux-api (and the Termux:API app from F-Droid)"),
                None,
            )
        try:
            text = readers.run_tool([exe, "-l", "1"], timeout=args.source_timeout, name="termux-call-log")
            rows = readers.termux_rows(text, None)
        except readers.SourceError as exc:
            return False, str(exc), "revoked" if exc.permission else None
        return True, t("termux-call-log answers ({n} row(s) for -l 1)", n=len(rows)), "granted"
    if source.kind == "adb":
        exe = shutil.which("adb")
        if exe is None:
            return False, t("adb not found: install Android platform-tools"), None
        try:
            state = readers.run_tool([exe, "get-state"], timeout=args.source_timeout, name="adb").strip()
        except readers.SourceError as exc:
            return (
                False,
                f"{exc} (connect the phone by USB, enable USB debugging and accept this computer)",
                None,
            )
        if state != "device":
            return False, f"adb: the phone is {state!r}, not ready", None
        try:
            list(readers.adb_live(int(time.time()) - 3600, None, timeout=args.source_timeout))
        except readers.SourceError as exc:
            return False, str(exc), "revoked" if exc.permission else None
        return True, t("adb: a phone is attached and its call log answers"), "granted"
    if not os.path.isfile(source.path):
        return False, t("{path}: no such file", path=source.path), None
    fmt = source.fmt or readers.sniff_format(source.path)
    return True, f"file {source.path} ({fmt})", None


def _server_time(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def cmd_status(args, config: Config, out: Output) -> int:
    return _report(args, config, out, probe_source=False)


def cmd_doctor(args, config: Config, out: Output) -> int:
    return _report(args, config, out, probe_source=True)


def cmd_exclude(args, config: Config, out: Output) -> int:
    numbers = list(config.get("exclude", []))
    if args.action == "list":
        if args.numbers:
            raise UsageError("exclude list: takes no numbers")
        for number in numbers:
            out.line(number)
        return OK
    if not args.numbers:
        raise UsageError(f"exclude {args.action}: give at least one NUMBER")
    try:
        given = [check_number(n) for n in args.numbers]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    keys = {number_key(n) for n in given}
    if args.action == "add":
        known = {number_key(n) for n in numbers}
        numbers += [n for n in given if number_key(n) not in known]
    else:
        known = {number_key(n) for n in numbers}
        missing = [n for n in given if number_key(n) not in known]
        if missing:
            raise UsageError(f"exclude remove: {', '.join(missing)} not in the list")
        numbers = [n for n in numbers if number_key(n) not in keys]
    config.data["exclude"] = numbers
    config.save()
    out.line(f"{len(numbers)} excluded number(s); their calls are never uploaded")
    return OK


def cmd_config(args, config: Config, out: Output) -> int:
    if args.key is None:
        for key in SETTINGS:
            out.line(f"{key} = {json.dumps(config.get(key))}  # {SETTINGS[key]}")
        return OK
    if args.value is None:
        out.line(json.dumps(config.get(args.key)))
        return OK
    value = args.value.strip()
    if value == "":
        config.data.pop(args.key, None)
    else:
        if args.key == "source":
            Source.parse(value, None)
        elif args.key == "format" and value not in readers.FORMATS:
            raise UsageError(f"format: {value!r} is not one of {', '.join(readers.FORMATS)}")
        elif args.key == "tz":
            resolve_tz(value)
        elif args.key in ("interval", "poll"):
            try:
                # A poll of 0 turns the newest-rows poll off; a round needs some interval.
                if float(value) < 0 or (args.key == "interval" and float(value) == 0):
                    raise ValueError
            except ValueError:
                raise UsageError(f"{args.key}: {value!r} is not a positive number of seconds") from None
        config.data[args.key] = value
    config.save()
    out.line(f"{args.key} = {json.dumps(config.get(args.key))}")
    return OK


HANDLERS = {
    "pair": cmd_pair,
    "punch-in": cmd_punch("in"),
    "punch-out": cmd_punch("out"),
    "sync": cmd_sync,
    "watch": cmd_watch,
    "setup": cmd_setup,
    "outcome": cmd_outcome,
    "parse": cmd_parse,
    "status": cmd_status,
    "doctor": cmd_doctor,
    "exclude": cmd_exclude,
    "config": cmd_config,
}


if __name__ == "__main__":
    sys.exit(main())
