"""Starts moto in server mode for the local emulator harness, with its fixes and one read.

Works around getmoto/moto#10077 (fixed upstream by PR #10093, not in moto 5.2.1): with
state-machine execution switched on, StartExecution deep-copies the state machine as a
snapshot, and the copy walks into live executions (their worker thread and RLock), so the
second StartExecution of a server answers 500 "cannot pickle '_thread.RLock' object".
The snapshot only needs the definition: copy everything but the executions, and share the
backend instead of copying it. Skipped when the installed moto already defines __deepcopy__.
"""
import copy
import sys

from moto.stepfunctions import models as stepfunctions_models

_StateMachine = stepfunctions_models.StateMachine

if "__deepcopy__" not in _StateMachine.__dict__:

    def _snapshot(self, memo):
        cls = self.__class__
        clone = cls.__new__(cls)
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            if name == "executions":
                clone.executions = []
            elif name == "backend":
                clone.backend = value
            else:
                setattr(clone, name, copy.deepcopy(value, memo))
        return clone

    _StateMachine.__deepcopy__ = _snapshot

# moto 5.2.1 drops the "cause" of SendTaskFailure (its response handler never reads it);
# AWS hands it to the failing state. Pass it on when the backend can take it.
from moto.stepfunctions import responses as stepfunctions_responses  # noqa: E402

_Responses = stepfunctions_responses.StepFunctionResponse


def _send_task_failure(self):
    backend = self.stepfunction_backend
    kwargs = {"error": self._get_param("error")}
    if "cause" in backend.send_task_failure.__code__.co_varnames:
        kwargs["cause"] = self._get_param("cause")
    backend.send_task_failure(self._get_param("taskToken"), **kwargs)
    return stepfunctions_responses.EmptyResult()


_Responses.send_task_failure = _send_task_failure

# moto's interpreter sleeps through a Retry interval with time.sleep, so StopExecution (a
# console stop) only lands when the interval is over; in AWS it stops the execution at once.
# Wait the interval on the execution's state event instead, as its Wait state does.
import inspect  # noqa: E402
import time  # noqa: E402

from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl  # noqa: E402

if "time.sleep(interval_seconds)" in inspect.getsource(retrier_decl.RetrierDecl._eval_body):

    def _interruptible_eval_body(self, env):
        self.error_equals.eval(env)
        if not env.stack.pop():
            env.stack.append(retrier_decl.RetrierOutcome.Skipped)
            return
        self.max_attempts.eval(env=env)
        if env.stack.pop() == retrier_decl.MaxAttemptsOutcome.EXHAUSTED:
            env.stack.append(retrier_decl.RetrierOutcome.Failed)
            return
        self.interval_seconds.eval(env=env)
        self.backoff_rate.eval(env=env)
        self.max_delay_seconds.eval(env=env)
        self.jitter_strategy.eval(env=env)
        deadline = time.monotonic() + env.stack.pop()
        while env.is_running() and time.monotonic() < deadline:
            env.program_state_event.wait(min(1.0, max(0.0, deadline - time.monotonic())))
        env.stack.append(retrier_decl.RetrierOutcome.Executed)

    retrier_decl.RetrierDecl._eval_body = _interruptible_eval_body

# moto never marks a task token whose task has ended, so a late SendTaskSuccess/Failure is
# accepted and silently lost; AWS answers TaskTimedOut (or that the task no longer exists),
# which callers rely on to choose another way (our abort link then stops the execution).
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (  # noqa: E402
    state_task_service_callback as callback_service,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import (  # noqa: E402
    ResourceCondition,
)
from moto.stepfunctions.parser.asl.eval.callback import callback as callback_model  # noqa: E402

_eval_integration_pattern = callback_service.StateTaskServiceCallback._eval_integration_pattern


def _eval_and_close_the_token(self, env, *args, **kwargs):
    endpoint = None
    if self.resource.condition == ResourceCondition.WaitForTaskToken:
        endpoint = env.callback_pool_manager.get(env.states.context_object.context_object_data["Task"]["Token"])
    try:
        return _eval_integration_pattern(self, env, *args, **kwargs)
    except callback_model.CallbackTimeoutError:
        if endpoint is not None and endpoint.consumer_error is None:
            endpoint.report(callback_model.CallbackConsumerTimeout())
        raise
    finally:
        if endpoint is not None and endpoint.consumer_error is None:
            endpoint.report(callback_model.CallbackConsumerLeft())


callback_service.StateTaskServiceCallback._eval_integration_pattern = _eval_and_close_the_token

# A task with HeartbeatSeconds waited for a heartbeat before it looked for an answer: a
# SendTaskSuccess that came while the task's Lambda was still running (staff answering the
# copy email before the function had returned) sat unnoticed until the heartbeat interval
# ran out, and was then even taken for a missed heartbeat. AWS completes the task at once.
# Look for the answer first, and again after every wait.
_callback_state_task = callback_service.StateTaskServiceCallback
if "received = heartbeat_endpoint.clear_and_wait()" in inspect.getsource(_callback_state_task._wait_for_task_token_heartbeat):

    def _answer_before_heartbeat(self, env, callback_endpoint, heartbeat_endpoint):
        outcome = callback_endpoint.get_outcome()
        while env.is_running() and outcome is None:
            received = heartbeat_endpoint.clear_and_wait()
            outcome = callback_endpoint.get_outcome()
            if outcome is None and not received and env.is_running():
                outcome = callback_model.HeartbeatTimedOut()
        return outcome

    _callback_state_task._wait_for_task_token_heartbeat = _answer_before_heartbeat

# ...and moto's TaskTimedOut / TaskDoesNotExist were never raised before: they lack a message
# and their error type on the wire. Give them AWS's.
from moto.stepfunctions.parser import api as stepfunctions_api  # noqa: E402

for _error, _message in ((stepfunctions_api.TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'"),
                         (stepfunctions_api.TaskDoesNotExist, "Task does not exist anymore")):
    def _init(self, message=_message, *args, _original=_error.__init__, **kwargs):
        _original(self, message, *args, **kwargs)

    _error.__init__ = _init
    _error.TYPE = _error.code
    _error.STATUS = 400

# moto's DynamoDB is not thread-safe: TransactWriteItems deep-copies the tables for its
# rollback while other requests change them ("dictionary changed size during iteration").
# DynamoDB itself is consistent, so one request at a time here.
import threading  # noqa: E402

from moto.dynamodb import responses as dynamodb_responses  # noqa: E402

_dynamodb_lock = threading.RLock()
_dynamodb_call_action = dynamodb_responses.DynamoHandler.call_action


def _one_dynamodb_request_at_a_time(self):
    with _dynamodb_lock:
        return _dynamodb_call_action(self)


dynamodb_responses.DynamoHandler.call_action = _one_dynamodb_request_at_a_time

# ...and that rollback copy is of every table the transaction names, whole, once per item: with
# a few hundred migrations in the table each link use took seconds (the scale benchmark). Keep
# a copy of just the items the transaction writes and put those back if it fails; the outcome
# is the same, the cost no longer grows with the table.
import inspect  # noqa: E402

from moto.dynamodb import models as dynamodb_models  # noqa: E402
from moto.dynamodb.models.table import Table as _DynamoTable  # noqa: E402

if "copy.deepcopy(\n                    self.tables[table_name]" in inspect.getsource(dynamodb_models.DynamoDBBackend.transact_write_items):
    import copy as _copy  # noqa: E402

    class _TablesAreNotCopied:
        # Stands in for the copy module inside moto's DynamoDB backend: items are still copied.
        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, _DynamoTable) else _copy.deepcopy(value, memo)

    dynamodb_models.copy = _TablesAreNotCopied
    _transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items

    def _transact_write_items_restoring_its_items(self, transact_items):
        before = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table_name = op.get("TableName")
            if table_name not in self.tables:
                continue
            table = self.get_table(table_name)
            key = op.get("Key")
            if key is None and "Item" in op:
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            if key is None:
                continue
            try:
                current = self.get_item(table_name, key)
            except Exception:  # a malformed key: the transaction itself will refuse it
                continue
            before.append((table_name, key, _copy.deepcopy(current.to_json()["Attributes"]) if current else None))
        try:
            return _transact_write_items(self, transact_items)
        except Exception:
            for table_name, key, attributes in reversed(before):
                if attributes is None:
                    if self.get_item(table_name, key) is not None:
                        self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, attributes)
            raise

    dynamodb_models.DynamoDBBackend.transact_write_items = _transact_write_items_restoring_its_items

# StopExecution must also end a task waiting for its token: moto only sets the program's
# state, and the waiting task sleeps on until its timeout; AWS stops it at once.
from moto.stepfunctions.parser.asl.eval import environment as asl_environment  # noqa: E402

_set_stop = asl_environment.Environment.set_stop


def _stop_and_wake_waiting_tasks(self, *args, **kwargs):
    _set_stop(self, *args, **kwargs)
    for endpoint in list(self.callback_pool_manager._pool.values()):
        endpoint.interrupt_all()


asl_environment.Environment.set_stop = _stop_and_wake_waiting_tasks

# Once stopped, an execution stays ABORTED: an error surfacing afterwards from a state that was
# still running must not turn it into FAILED or TIMED_OUT, as moto would.
for _name in ("set_error", "set_timed_out"):
    def _unless_stopped(self, *args, _original=getattr(asl_environment.Environment, _name), **kwargs):
        if isinstance(self._program_state, asl_environment.ProgramStopped):
            return
        _original(self, *args, **kwargs)

    setattr(asl_environment.Environment, _name, _unless_stopped)

# moto deletes a record set by name and type whatever values the DELETE names; Route 53 refuses
# the whole batch unless TTL and values match exactly. The DNS switch relies on that refusal as
# its compare-and-swap, so the emulator must refuse too.
from moto.route53 import exceptions as route53_exceptions  # noqa: E402
from moto.route53 import models as route53_models  # noqa: E402

_change_rrsets = route53_models.Route53Backend.change_resource_record_sets


def _delete_must_match(self, zoneid, change_list):
    zone = self.get_hosted_zone(zoneid)
    for change in change_list:
        wanted = change["ResourceRecordSet"]
        if change["Action"] != "DELETE" or "SetIdentifier" in wanted or "ResourceRecords" not in wanted:
            continue
        name = wanted["Name"].rstrip(".").lower() + "."
        current = [r for r in zone.rrsets if r.name.lower() == name and r.type == wanted["Type"]]
        values = sorted(str(v["Value"]) if isinstance(v, dict) else str(v) for v in wanted["ResourceRecords"])
        if not current:
            raise route53_exceptions.Route53ClientError(
                "InvalidChangeBatch",
                f"[Tried to delete resource record set [name='{name}', type='{wanted['Type']}'] but it was not found]")
        if (int(current[0].ttl or 0) != int(wanted.get("TTL", 0))
                        or sorted(str(v) for v in current[0].records) != values):
            error = route53_exceptions.Route53ClientError(
                "InvalidChangeBatch",
                f"[Tried to delete resource record set [name='{name}', type='{wanted['Type']}'] "
                "but the values provided do not match the current values]")
            raise error
    # The DELETE matched: a CREATE of the same name and type in the batch replaces it. moto checks
    # a CREATE against its journal before the DELETE is applied, and wrongly refuses it when the
    # same record was created once before (a switch back); hand it over as one UPSERT instead.
    created = {(c["ResourceRecordSet"]["Name"].rstrip(".").lower(), c["ResourceRecordSet"]["Type"])
               for c in change_list if c["Action"] == "CREATE"}
    deleted = {(c["ResourceRecordSet"]["Name"].rstrip(".").lower(), c["ResourceRecordSet"]["Type"])
               for c in change_list if c["Action"] == "DELETE" and "SetIdentifier" not in c["ResourceRecordSet"]}
    replaced = created & deleted
    if replaced:
        merged = []
        for c in change_list:
            key = (c["ResourceRecordSet"]["Name"].rstrip(".").lower(), c["ResourceRecordSet"]["Type"])
            if key in replaced and c["Action"] == "DELETE":
                continue
            merged.append(dict(c, Action="UPSERT") if key in replaced else c)
        change_list = merged
    return _change_rrsets(self, zoneid, change_list)


route53_models.Route53Backend.change_resource_record_sets = _delete_must_match

# A cheap read of the emails SES captured, from a given index on: /moto-api/data.json dumps
# every model of every service, which gets slow once tests poll it while executions run.
import json  # noqa: E402
from urllib.parse import parse_qs, urlparse  # noqa: E402

from moto.moto_api._internal import urls as moto_api_urls  # noqa: E402
from moto.ses.models import RawMessage  # noqa: E402


def _sent_raw_emails(request, full_url, headers):
    since = int(parse_qs(urlparse(full_url).query).get("since", ["0"])[0])
    messages = [{"id": m.id, "source": m.source, "destinations": m.destinations, "raw_data": m.raw_data}
                for m in RawMessage.instances_tracked[since:]]
    return 200, {"Content-Type": "application/json"}, json.dumps({"since": since, "RawMessage": messages})


moto_api_urls.url_paths["{0}/moto-api/ses/raw-messages"] = _sent_raw_emails

# ...and of what was published to an SNS topic (moto keeps it; its SNS API has no read for it),
# for the tests of what reaches the ops topic.
from moto.sns.models import sns_backends  # noqa: E402


def _published_to_topic(request, full_url, headers):
    arn = parse_qs(urlparse(full_url).query).get("topic", [""])[0]
    parts = arn.split(":")
    published = []
    if len(parts) == 6 and parts[4] in sns_backends and parts[3] in sns_backends[parts[4]]:
        topic = sns_backends[parts[4]][parts[3]].topics.get(arn)
        if topic is not None:
            published = [{"id": n[0], "message": n[1], "subject": n[2]} for n in topic.sent_notifications]
    return 200, {"Content-Type": "application/json"}, json.dumps({"topic": arn, "published": published})


moto_api_urls.url_paths["{0}/moto-api/sns/published"] = _published_to_topic

# Every execution parsed the whole definition with the ANTLR grammar first (half a second of
# CPU for ours, under the GIL): 200 executions started at once queued for minutes before their
# first state. Keep each definition's syntax tree (read-only once parsed) and build every
# execution's own program from it, as moto's parse does after its ANTLR step.
from moto.stepfunctions.parser.asl.parse import asl_parser as _asl_parser  # noqa: E402
from moto.stepfunctions.parser.backend import execution_worker as _execution_worker  # noqa: E402

if hasattr(_execution_worker.ExecutionWorker, "_get_evaluation_entrypoint"):
    _syntax_trees = {}
    _syntax_trees_lock = threading.Lock()

    def _program_from_the_kept_syntax_tree(self):
        definition = self._evaluation_details.state_machine_details.definition
        with _syntax_trees_lock:
            tree = _syntax_trees.get(definition)
            if tree is None:
                tree = _asl_parser.AmazonStateLanguageParser.parse(definition)[1]
                _syntax_trees[definition] = tree
        return _asl_parser.Preprocessor().visit(tree)

    _execution_worker.ExecutionWorker._get_evaluation_entrypoint = _program_from_the_kept_syntax_tree

# The interpreter parses every JSONPath of every state afresh with jsonpath_ng, which builds
# its PLY parser (grammar tables checked and generated) on each call: most of the emulator's
# CPU under load. Parsed paths are immutable values; parse each text once.
import functools  # noqa: E402

from moto.stepfunctions.parser.asl.component.common.path import result_path as _result_path  # noqa: E402
from moto.stepfunctions.parser.asl.utils import json_path as _json_path  # noqa: E402

_json_path.parse = functools.lru_cache(maxsize=4096)(_json_path.parse)
_result_path.parse = functools.lru_cache(maxsize=4096)(_result_path.parse)

# moto's server finds the backend for each request under one global lock, listing its own
# package folder (a stat of every service directory) and trying every service's URL patterns:
# with many migrations at once, requests queued for seconds behind that lock. The answer only
# depends on the host, so remember it.
import moto.backends as _moto_backends  # noqa: E402
from moto.moto_server import werkzeug_app as _werkzeug_app  # noqa: E402

_moto_modules = tuple(_moto_backends.list_of_moto_modules())
_moto_backends.list_of_moto_modules = lambda: _moto_modules
_backend_for_host = _werkzeug_app.DomainDispatcherApplication.get_backend_for_host
_backends_by_host = {}


def _remembered_backend_for_host(self, host):
    if host not in _backends_by_host:
        _backends_by_host[host] = _backend_for_host(self, host)
    return _backends_by_host[host]


_werkzeug_app.DomainDispatcherApplication.get_backend_for_host = _remembered_backend_for_host

# One log line per request (werkzeug's access log) costs the server a lock and a write each
# time; errors and their tracebacks still reach the log.
import logging  # noqa: E402

logging.getLogger("werkzeug").setLevel(logging.WARNING)

from moto.server import main  # noqa: E402  (after the patches on purpose)

if __name__ == "__main__":
    main(sys.argv[1:])
