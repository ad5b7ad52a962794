<?php
// A WebSocket echo server (RFC 6455) on ext-sockets: one process, non-blocking
// sockets, socket_select() with a timeout. Echoes text and binary messages,
// answers ping with pong and close with close, pings idle clients.
//
//   php writing-a-server-php.php [port] [allowed-origin ...]
//
// Port 0 picks a free port; the first line on stdout names it. Browsers send
// Origin: only the listed origins are accepted (403 otherwise). Clients that
// send no Origin are not browsers (4.2.1, item 7) and are accepted.

declare(strict_types=1);

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HEAD = 8192;            // bytes of HTTP request head
const MAX_MESSAGE = 1 << 20;      // bytes of one reassembled message
const HANDSHAKE_TIMEOUT = 5.0;    // seconds to send a complete request head
const PING_AFTER = 30.0;          // seconds of silence before we ping
const SELECT_TIMEOUT = 1;         // seconds: how often timers are checked

const OP_CONT = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2;
const OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xA;

final class Client
{
    public string $in = '';
    public string $out = '';
    public bool $upgraded = false;
    public bool $closing = false;     // we sent Close or an HTTP error: flush, then drop
    public bool $pinged = false;
    public ?int $messageOpcode = null; // opcode of the message being reassembled
    public string $message = '';
    public float $lastHeard;
    public readonly float $connectedAt; // the handshake deadline counts from here

    public function __construct(public readonly Socket $socket)
    {
        $this->connectedAt = $this->lastHeard = microtime(true);
    }
}

/** A server frame: FIN set, never masked (5.1: "A server MUST NOT mask"). */
function encodeFrame(int $opcode, string $payload): string
{
    $length = strlen($payload);
    if ($length < 126) {
        $head = chr($length);
    } elseif ($length < 65536) {
        $head = chr(126) . pack('n', $length);
    } else {
        $head = chr(127) . pack('J', $length);
    }
    return chr(0x80 | $opcode) . $head . $payload;
}

function httpError(Client $c, string $status, string $extraHeaders = ''): void
{
    $c->out .= "HTTP/1.1 $status\r\n{$extraHeaders}Content-Length: 0\r\nConnection: close\r\n\r\n";
    $c->closing = true;
}

/** 7.1.7: fail the connection with a Close frame carrying the reason code. */
function failConnection(Client $c, int $code): void
{
    $c->out .= encodeFrame(OP_CLOSE, pack('n', $code));
    $c->closing = true;
    $c->in = '';
}

/** 4.2.1 and 4.2.2: validate the opening handshake, then answer 101 or an HTTP error. */
function handshake(Client $c, array $allowedOrigins): void
{
    $end = strpos($c->in, "\r\n\r\n");
    if ($end === false) {
        if (strlen($c->in) > MAX_HEAD) {
            httpError($c, '431 Request Header Fields Too Large');
        }
        return;
    }
    $lines = explode("\r\n", substr($c->in, 0, $end));
    $c->in = (string) substr($c->in, $end + 4);

    if (!preg_match('#^(\S+) (\S+) HTTP/(\d)\.(\d)$#', array_shift($lines), $m)) {
        httpError($c, '400 Bad Request');
        return;
    }
    if ($m[1] !== 'GET') {
        httpError($c, '405 Method Not Allowed', "Allow: GET\r\n");
        return;
    }
    if ((int) $m[3] * 10 + (int) $m[4] < 11) {
        httpError($c, '400 Bad Request');
        return;
    }
    $headers = [];
    foreach ($lines as $line) {
        $colon = strpos($line, ':');
        if ($colon === false || $colon === 0) {
            httpError($c, '400 Bad Request');
            return;
        }
        $name = strtolower(substr($line, 0, $colon));
        $value = trim(substr($line, $colon + 1));
        $headers[$name] = isset($headers[$name]) ? "{$headers[$name]}, $value" : $value;
    }
    $tokens = fn (string $name): array =>
        array_map(fn ($t) => strtolower(trim($t)), explode(',', $headers[$name] ?? ''));

    if (!isset($headers['host'])
        || !in_array('websocket', $tokens('upgrade'), true)
        || !in_array('upgrade', $tokens('connection'), true)) {
        httpError($c, '400 Bad Request');
        return;
    }
    if (($headers['sec-websocket-version'] ?? '') !== '13') {
        httpError($c, '426 Upgrade Required', "Sec-WebSocket-Version: 13\r\n");
        return;
    }
    $key = $headers['sec-websocket-key'] ?? '';
    $decoded = base64_decode($key, true);
    if ($decoded === false || strlen($decoded) !== 16) {
        httpError($c, '400 Bad Request');
        return;
    }
    // 10.2: a server meant for certain sites answers other origins with 403.
    if (isset($headers['origin']) && !in_array(strtolower($headers['origin']), $allowedOrigins, true)) {
        httpError($c, '403 Forbidden');
        return;
    }
    $accept = base64_encode(sha1($key . GUID, true));
    $c->out .= "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        . "Connection: Upgrade\r\nSec-WebSocket-Accept: $accept\r\n\r\n";
    $c->upgraded = true;
}

function isValidCloseCode(int $code): bool
{
    // 7.4.1 and the IANA registry: 1004-1006 and 1015 never appear on the wire.
    return ($code >= 1000 && $code <= 1003) || ($code >= 1007 && $code <= 1014)
        || ($code >= 3000 && $code <= 4999);
}

/** Parses every complete frame in $c->in (5.2) and reacts to it. */
function readFrames(Client $c): void
{
    while (!$c->closing && strlen($c->in) >= 2) {
        $b0 = ord($c->in[0]);
        $b1 = ord($c->in[1]);
        $fin = ($b0 & 0x80) !== 0;
        $opcode = $b0 & 0x0F;
        $length = $b1 & 0x7F;
        $offset = 2;

        if (($b0 & 0x70) !== 0) {               // 5.2: RSV bits without an extension
            failConnection($c, 1002);
            return;
        }
        if (($b1 & 0x80) === 0) {               // 5.1: clients MUST mask
            failConnection($c, 1002);
            return;
        }
        if (!in_array($opcode, [OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG], true)) {
            failConnection($c, 1002);
            return;
        }
        if ($opcode >= 0x8 && (!$fin || $length > 125)) { // 5.5: control frames are short, unfragmented
            failConnection($c, 1002);
            return;
        }
        if ($length === 126) {
            if (strlen($c->in) < 4) {
                return;
            }
            $length = unpack('n', $c->in, 2)[1];
            $offset = 4;
        } elseif ($length === 127) {
            if (strlen($c->in) < 10) {
                return;
            }
            if (ord($c->in[2]) & 0x80) {        // 5.2: the most significant bit MUST be 0
                failConnection($c, 1002);
                return;
            }
            $length = unpack('J', $c->in, 2)[1];
            $offset = 10;
        }
        // Check the limit as soon as the length is known, before buffering the payload.
        if (strlen($c->message) + $length > MAX_MESSAGE) {
            failConnection($c, 1009);
            return;
        }
        if (strlen($c->in) < $offset + 4 + $length) {
            return;                             // wait for the rest of the frame
        }
        $maskingKey = substr($c->in, $offset, 4);
        $payload = (string) substr($c->in, $offset + 4, $length);
        $c->in = (string) substr($c->in, $offset + 4 + $length);
        // 5.3: octet i XOR octet (i mod 4) of the key; PHP XORs strings byte by byte.
        $payload ^= substr(str_repeat($maskingKey, intdiv($length + 3, 4)), 0, $length);

        switch ($opcode) {
            case OP_PING:
                $c->out .= encodeFrame(OP_PONG, $payload); // 5.5.3: same application data
                break;
            case OP_PONG:
                break;
            case OP_CLOSE:
                handleClose($c, $payload);
                return;
            default:
                handleData($c, $opcode, $fin, $payload);
        }
    }
}

function handleData(Client $c, int $opcode, bool $fin, string $payload): void
{
    // 5.4: a message is one text/binary frame, then continuation frames until FIN.
    if ($opcode === OP_CONT ? $c->messageOpcode === null : $c->messageOpcode !== null) {
        failConnection($c, 1002);
        return;
    }
    $c->messageOpcode ??= $opcode;
    $c->message .= $payload;
    if (!$fin) {
        return;
    }
    // 8.1: text must be valid UTF-8; checked on the whole message, so a character
    // split across two fragments is fine.
    if ($c->messageOpcode === OP_TEXT && !preg_match('//u', $c->message)) {
        failConnection($c, 1007);
        return;
    }
    $c->out .= encodeFrame($c->messageOpcode, $c->message);
    $c->messageOpcode = null;
    $c->message = '';
}

function handleClose(Client $c, string $payload): void
{
    if ($payload === '') {
        $c->out .= encodeFrame(OP_CLOSE, '');   // no code received: answer without one
    } elseif (strlen($payload) === 1) {
        failConnection($c, 1002);
        return;
    } else {
        $code = unpack('n', $payload)[1];
        if (!isValidCloseCode($code)) {
            failConnection($c, 1002);
            return;
        }
        if (!preg_match('//u', substr($payload, 2))) {
            failConnection($c, 1007);
            return;
        }
        $c->out .= encodeFrame(OP_CLOSE, pack('n', $code)); // 5.5.1: echo the status code
    }
    $c->closing = true; // 7.1.1: the server closes TCP first, once the Close is flushed
}

function logLine(string $line): void
{
    fwrite(STDERR, date('H:i:s') . " $line\n");
}

$port = (int) ($argv[1] ?? 8080);
$allowedOrigins = array_map('strtolower', array_slice($argv, 2));

$listener = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
socket_set_option($listener, SOL_SOCKET, SO_REUSEADDR, 1);
if (!socket_bind($listener, '127.0.0.1', $port) || !socket_listen($listener, 128)) {
    fwrite(STDERR, socket_strerror(socket_last_error($listener)) . "\n");
    exit(1);
}
socket_set_nonblock($listener);
socket_getsockname($listener, $address, $boundPort);
fwrite(STDOUT, "listening on $address:$boundPort\n");

/** @var array<int, Client> $clients keyed by spl_object_id of the socket */
$clients = [];

while (true) {
    $read = [$listener];
    $write = [];
    foreach ($clients as $c) {
        if (!$c->closing) {
            $read[] = $c->socket;
        }
        if ($c->out !== '') {
            $write[] = $c->socket;
        }
    }
    $except = null;
    // Sleeps until a socket is ready or the timeout passes: no busy loop, no fixed delay.
    if (@socket_select($read, $write, $except, SELECT_TIMEOUT) === false) {
        if (socket_last_error() === SOCKET_EINTR) {
            continue;
        }
        fwrite(STDERR, socket_strerror(socket_last_error()) . "\n");
        exit(1);
    }

    foreach ($read as $socket) {
        if ($socket === $listener) {
            $accepted = socket_accept($listener);
            if ($accepted !== false) {
                socket_set_nonblock($accepted);
                $clients[spl_object_id($accepted)] = new Client($accepted);
                logLine('connection opened');
            }
            continue;
        }
        $c = $clients[spl_object_id($socket)];
        $received = socket_recv($socket, $chunk, 65536, 0);
        if ($received === false || $received === 0) {  // error or EOF without a Close
            logLine('connection lost');
            socket_close($socket);
            unset($clients[spl_object_id($socket)]);
            continue;
        }
        $c->in .= $chunk;
        $c->lastHeard = microtime(true);
        $c->pinged = false;
        if (!$c->upgraded) {
            handshake($c, $allowedOrigins);
        }
        if ($c->upgraded) {
            readFrames($c);
        }
    }

    foreach ($write as $socket) {
        $c = $clients[spl_object_id($socket)] ?? null;
        if ($c === null) {
            continue;
        }
        $sent = @socket_write($socket, $c->out);  // may write only part of the buffer
        if ($sent === false && socket_last_error($socket) !== SOCKET_EWOULDBLOCK) {
            $c->out = '';
            $c->closing = true;
        } elseif ($sent > 0) {
            $c->out = (string) substr($c->out, $sent);
        }
    }

    $now = microtime(true);
    foreach ($clients as $id => $c) {
        $silent = $now - $c->lastHeard;
        if (($c->closing && $c->out === '')
            // Measured from accept, not from the last byte: a client dribbling one byte
            // at a time must not hold a slot for hours.
            || (!$c->upgraded && $now - $c->connectedAt > HANDSHAKE_TIMEOUT)
            || ($c->pinged && $silent > 2 * PING_AFTER)) {
            logLine('connection closed');
            socket_close($c->socket);
            unset($clients[$id]);
        } elseif ($c->upgraded && !$c->closing && !$c->pinged && $silent > PING_AFTER) {
            $c->out .= encodeFrame(OP_PING, '');
            $c->pinged = true;
        }
    }
}
