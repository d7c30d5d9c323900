"""Starts moto in server mode for the local emulator harness, with three fixes.

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

from moto.server import main  # noqa: E402  (after the patches on purpose)

if __name__ == "__main__":
    main(sys.argv[1:])
