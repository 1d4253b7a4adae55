<?php
// Renders templates/takeaway.slip for a K4-WA through `slipmark serve` and prints the content
// the Yilianyun print API takes. Plain PHP (no extension beyond json): file_get_contents with a
// POST stream context.
//
//   slipmark serve templates --port 7878 &
//   php examples/php/render.php http://127.0.0.1:7878
//
// Run from the repository root (it reads templates/).

$base = $argv[1] ?? 'http://127.0.0.1:7878';

function slipmark_call(string $base, string $path, array $request): array
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/json\r\n",
        'content' => json_encode($request, JSON_UNESCAPED_UNICODE),
        'ignore_errors' => true, // read the diagnostics of a 4xx answer too
        'timeout' => 10,
    ]]);
    $body = file_get_contents($base . $path, false, $context);
    if ($body === false) {
        throw new RuntimeException("slipmark serve is not reachable at $base");
    }
    $answer = json_decode($body, true);
    if (!is_array($answer) || !($answer['ok'] ?? false)) {
        $messages = array_map(fn ($d) => $d['rendered'], $answer['diagnostics'] ?? []);
        throw new RuntimeException(implode("\n", $messages) ?: $body);
    }
    return $answer['value'];
}

$rendered = slipmark_call($base, '/v1/render', [
    'template' => [
        'name' => 'templates/takeaway.slip',
        'source' => file_get_contents('templates/takeaway.slip'),
        'includes' => ['partials/footer.slip' => file_get_contents('templates/partials/footer.slip')],
    ],
    'data' => json_decode(file_get_contents('templates/takeaway.json')),
    'printer' => 'K4-WA',
]);
foreach ($rendered['warnings'] as $w) {
    fwrite(STDERR, $w['rendered'] . "\n");
}
echo $rendered['jobs'][0]['content'];
