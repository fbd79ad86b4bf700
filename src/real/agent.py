# cowsim real-run agent (Python 2.7 and 3.6 - 3.13).
#
# Started by the Node host (src/real/runner.ts) as:
#     python -u agent.py SOCKET_PATH
# Every process of a scenario (main and each forked one) holds its own
# connection to the host's Unix socket: that is its channel. The host drives
# all processes in lock-step; an idle agent is blocked in recv() on its socket,
# so the host can read /proc/PID/smaps_rollup and /proc/PID/stat while nothing
# runs.
#
# Wire format (ASCII header line, then a payload of exactly LEN bytes):
#   host -> agent   "R LEN STEP\n" SOURCE   run SOURCE (step number STEP)
#                   "F LEN STEP\n"          fork; the child connects anew
#                   "X 0 STEP\n"            exit this process
#   agent -> host   "H PID\n"               hello, first message on a connection
#                   "K\n"                   step done
#                   "F PID\n"               fork done (parent side), PID = child
#                   "E LEN\n" TEXT          step failed: "LINE COL message"
#
# Footprint: everything is imported before the first message; the hot path
# (waiting, parsing the header, replying) allocates only a few small strings,
# so that the memory a step changes is the user's. docs/validate.md gives what
# an empty step costs.

import os
import sys
import signal
import traceback
import _socket

_AF_UNIX = _socket.AF_UNIX
_SOCK_STREAM = _socket.SOCK_STREAM
_OK = b"K\n"
_NL = b"\n"
_SPACE = b" "
_exc_clear = getattr(sys, "exc_clear", None)

_path = sys.argv[1]
# The user's code runs like module-level code of __main__, in this dict.
_ns = {"__name__": "__main__", "__builtins__": __builtins__, "__doc__": None}
del sys.argv[1:]


def _connect():
    s = _socket.socket(_AF_UNIX, _SOCK_STREAM)
    s.connect(_path)
    s.sendall(("H %d\n" % os.getpid()).encode("ascii"))
    return s


def _recv_exact(s, buf, n):
    # buf: bytes already received beyond the header. Returns (payload, rest).
    while len(buf) < n:
        chunk = s.recv(65536)
        if not chunk:
            os._exit(0)
        buf += chunk
    return buf[:n], buf[n:]


def _error_text():
    # "LINE COL message" where LINE/COL are within the step's source (0 = unknown).
    et, ev, tb = sys.exc_info()
    line = 0
    col = 0
    if isinstance(ev, SyntaxError) and ev.filename == "<step>":
        line = ev.lineno or 0
        col = ev.offset or 0
    else:
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<step>":
                line = tb.tb_lineno
            tb = tb.tb_next
    msg = traceback.format_exception_only(et, ev)[-1].strip()
    del et, ev, tb
    return ("%d %d %s" % (line, col, msg)).encode("utf-8", "replace")


def _serve(s):
    buf = b""
    while True:
        while _NL not in buf:
            chunk = s.recv(65536)
            if not chunk:
                # The host went away: leave without running any cleanup.
                os._exit(0)
            buf += chunk
        i = buf.index(_NL)
        head = buf[:i].split(_SPACE)
        buf = buf[i + 1:]
        kind = head[0]
        n = int(head[1])
        if kind == b"R":
            src, buf = _recv_exact(s, buf, n)
            try:
                code = compile(src, "<step>", "exec")
                del src
                exec(code, _ns)
                del code
                s.sendall(_OK)
            except BaseException:
                src = code = None
                text = _error_text()
                if _exc_clear is not None:
                    _exc_clear()  # Python 2 keeps the last traceback alive
                s.sendall(b"E " + str(len(text)).encode("ascii") + _NL + text)
                del text
        elif kind == b"F":
            try:
                pid = os.fork()
            except BaseException:
                text = _error_text()
                s.sendall(b"E " + str(len(text)).encode("ascii") + _NL + text)
                continue
            if pid == 0:
                # Child: drop the parent's channel, open our own.
                s.close()
                s = _connect()
                buf = b""
            else:
                s.sendall(("F %d\n" % pid).encode("ascii"))
        elif kind == b"X":
            s.sendall(_OK)
            s.close()
            os._exit(0)
        else:
            os._exit(3)


def _main():
    # Forked processes are reaped by the kernel (the host never waits on them).
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    s = _connect()
    _serve(s)


_main()
