/**
 * The Python kernel each session runs inside the sandbox, embedded as a string so it ships with the compiled
 * `dist/` output (tsc does not copy .py files) and is passed to `python3 -c`.
 *
 * Channels: fd 0 carries length-prefixed JSON cells from the host; fd 1 carries everything the cell prints
 * (stderr is merged into it so the order is the one a terminal would show), ended by a per-cell marker;
 * fd 3 carries length-prefixed JSON replies. The marker lets the host know it has read all of a cell's
 * output before it answers, since the reply travels on a different pipe.
 */
export const kernelSource = String.raw`
import ast, base64, builtins, importlib.abc, importlib.util, io, json, linecache, math, os, resource, signal, struct, sys, time, traceback

CONFIG = json.loads(sys.argv[1])
KERNEL_PID = os.getpid()
SANDBOX_INIT_PID = 1
CLEANUP_SECONDS = 2
INLINE_BACKEND = "spool_inline_backend"
HEADER = struct.Struct(">I")

request_fd = os.dup(0)
reply_fd = os.dup(3)
os.close(3)
# input() must see end-of-file, not the host's protocol frames.
null_fd = os.open(os.devnull, os.O_RDONLY)
os.dup2(null_fd, 0)
os.close(null_fd)
os.dup2(1, 2)


def read_exactly(size):
    chunks = []
    while size > 0:
        chunk = os.read(request_fd, size)
        if not chunk:
            os._exit(0)
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def send_reply(message):
    payload = json.dumps(message).encode()
    view = memoryview(HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(reply_fd, view):]


images = []
images_dropped = 0


def show_figures(*_args, **_kwargs):
    global images_dropped
    import matplotlib.pyplot as plt
    for number in plt.get_fignums():
        if len(images) >= CONFIG["maxImages"]:
            images_dropped += 1
            continue
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", bbox_inches="tight")
        images.append(buffer.getvalue())
    plt.close("all")


class InlineBackendLoader(importlib.abc.Loader):
    """A matplotlib backend whose show() captures PNGs, loaded only when the cell uses matplotlib."""

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        module.FigureCanvas = FigureCanvasAgg
        module.show = show_figures


class InlineBackendFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == INLINE_BACKEND:
            return importlib.util.spec_from_loader(name, InlineBackendLoader())
        return None


def configure_matplotlib():
    sys.meta_path.insert(0, InlineBackendFinder())
    os.environ["MPLBACKEND"] = "module://" + INLINE_BACKEND
    config_dir = os.environ["MPLCONFIGDIR"]
    os.makedirs(config_dir, exist_ok=True)
    fonts = [font for font in CONFIG["cjkFonts"] if os.path.exists(font["file"])]
    families = ", ".join([font["family"] for font in fonts] + ["DejaVu Sans"])
    with open(os.path.join(config_dir, "matplotlibrc"), "w") as rc:
        rc.write("font.family: sans-serif\nfont.sans-serif: " + families + "\n")
        # CJK fonts lack U+2212, so negative tick labels would render as boxes.
        rc.write("axes.unicode_minus: False\n")


namespace = {"__name__": "__main__", "__builtins__": builtins}


def run_cell(code, filename):
    """Runs code like a notebook cell; returns True when it raised."""
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        tree = ast.parse(code, filename=filename)
    except (SyntaxError, ValueError) as error:
        # The parse happened in the kernel; its frames mean nothing to the cell's author.
        traceback.print_exception(type(error), error, None)
        return True
    last_expression = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last_expression = ast.Expression(tree.body.pop().value)
    try:
        exec(compile(tree, filename, "exec"), namespace)
        if last_expression is not None:
            value = eval(compile(last_expression, filename, "eval"), namespace)
            if value is not None:
                namespace["_"] = value
                print(repr(value))
    except BaseException as error:
        # Drop run_cell's own frame: the traceback starts in the cell.
        traceback.print_exception(type(error), error, error.__traceback__.tb_next if error.__traceback__ else None)
        return True
    return False


def allow_cpu_for_one_cell():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(usage.ru_utime + usage.ru_stime) + CONFIG["cpuSeconds"], hard))


def stop_background_processes():
    # In the sandbox's pid namespace, -1 reaches every process the cell started but not bwrap's init or us.
    # Waiting until they are reaped frees their slots under the process limit before the next cell.
    deadline = time.monotonic() + CLEANUP_SECONDS
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            pass
        others = [entry for entry in os.listdir("/proc") if entry.isdigit() and int(entry) not in (SANDBOX_INIT_PID, KERNEL_PID)]
        if not others or time.monotonic() > deadline:
            return
        time.sleep(0.005)


def flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def serve():
    global images_dropped
    configure_matplotlib()
    send_reply({"ready": True})
    cell_number = 0
    while True:
        (size,) = HEADER.unpack(read_exactly(HEADER.size))
        request = json.loads(read_exactly(size))
        cell_number += 1
        images.clear()
        images_dropped = 0
        allow_cpu_for_one_cell()
        failed = run_cell(request["code"], "<cell-%d>" % cell_number)
        if os.getpid() != KERNEL_PID:
            # A child the cell forked finished the cell too; only the kernel itself may answer.
            flush_streams()
            os._exit(0)
        if "matplotlib.pyplot" in sys.modules:
            try:
                show_figures()
            except BaseException:
                traceback.print_exc()
                failed = True
        if images_dropped:
            print("[%d more figures not shown: at most %d per cell]" % (images_dropped, CONFIG["maxImages"]))
        stop_background_processes()
        flush_streams()
        os.write(1, ("\0spool-cell-end:" + request["nonce"] + "\0").encode())
        send_reply({"nonce": request["nonce"], "failed": failed, "images": [base64.b64encode(image).decode() for image in images]})


serve()
`;
