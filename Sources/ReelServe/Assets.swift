/// The pages' stylesheet and script, shipped in the binary (no CDN, no build step).
enum Assets {
    static let css = """
        :root { --ink: #1d1f24; --muted: #6b7280; --line: #d9dce1; --saved: #1f8a4c; --draft: #b7791f; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); background: #f6f7f9; }
        header { display: flex; gap: 24px; align-items: center; padding: 10px 24px; background: #20232a; }
        header a { color: #e8eaed; text-decoration: none; margin-right: 14px; }
        header .brand { font-weight: 700; font-size: 18px; }
        main { padding: 16px 24px; }
        .filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 16px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 14px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
        .card.saved { border-color: var(--saved); box-shadow: 0 0 0 1px var(--saved); }
        .card img, .noposter { display: block; width: 100%; aspect-ratio: 16 / 9; object-fit: cover;
          background: #111; }
        .noposter { color: #aaa; display: flex; align-items: center; justify-content: center; }
        .meta { padding: 8px 10px; display: flex; flex-direction: column; gap: 4px; font-size: 13px; }
        .meta .name { font-weight: 600; color: var(--ink); overflow-wrap: anywhere; }
        .badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; color: #fff;
          background: var(--draft); width: fit-content; }
        .saved .badge, .badge.saved { background: var(--saved); }
        button { cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 6px;
          padding: 3px 10px; }
        button.save[data-saved="true"] { background: var(--saved); color: #fff; }
        .pager { margin-top: 16px; display: flex; gap: 16px; }
        .player video, .player .still { max-width: 100%; max-height: 60vh; background: #000; display: block; }
        #scrub { position: relative; height: 22px; background: #ccd; border-radius: 4px; margin-top: 6px;
          max-width: 900px; cursor: pointer; }
        #scrub-tile { position: absolute; bottom: 28px; display: none; border: 2px solid #fff;
          box-shadow: 0 2px 8px #0008; background-repeat: no-repeat; pointer-events: none; }
        #scrub-time { position: absolute; top: 2px; font-size: 12px; pointer-events: none; }
        table { border-collapse: collapse; background: #fff; }
        th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        .details td { overflow-wrap: anywhere; max-width: 640px; }
        .lineage line { stroke: #888; stroke-width: 1.5; }
        .lineage rect { fill: #fff; stroke: #556; }
        .lineage .root rect { fill: #e4ecff; stroke: #335; stroke-width: 2; }
        .lineage .deleted rect { stroke-dasharray: 4 3; fill: #eee; }
        .lineage a rect:hover { fill: #fff7d6; }
        .lineage text { font-size: 12px; fill: #222; } .lineage text.sub { fill: #667; font-size: 11px; }
        .chart text { font-size: 12px; } .chart .title { font-weight: 600; font-size: 14px; }
        .chart rect.kind { fill: #4a6fd1; } .chart rect.saved { fill: var(--saved); }
        .chart rect.draft { fill: var(--draft); }
        .charts { display: flex; flex-wrap: wrap; gap: 32px; margin-bottom: 16px; }
        .status.ok, .status.succeeded, .expect.pass b { color: var(--saved); }
        .status.failed, .expect.fail b, .error { color: #b42318; }
        .cache.hit { color: var(--saved); font-weight: 600; }

        """

    static let js = """
        "use strict";
        function reelSetSaved(button, item) {
          const saved = item.saved === true;
          document.querySelectorAll('button.save[data-id="' + item.id + '"]').forEach((b) => {
            b.dataset.saved = String(saved);
            b.textContent = saved ? "Unsave" : "Save";
          });
          document.querySelectorAll('.card[data-id="' + item.id + '"]').forEach((card) => {
            card.classList.toggle("saved", saved);
            card.classList.toggle("draft", !saved);
            const badge = card.querySelector(".badge");
            if (badge) badge.textContent = saved ? "saved" : "draft";
          });
          const heading = document.querySelector("h1 .badge");
          if (heading && !button.closest(".card")) {
            heading.textContent = saved ? "saved" : "draft";
            heading.classList.toggle("saved", saved);
            heading.classList.toggle("draft", !saved);
          }
        }

        document.addEventListener("click", async (event) => {
          const button = event.target.closest("button.save");
          if (!button) return;
          const action = button.dataset.saved === "true" ? "unsave" : "save";
          button.disabled = true;
          try {
            const response = await fetch("/api/items/" + button.dataset.id + "/" + action, { method: "POST" });
            const body = await response.json();
            if (!response.ok) throw new Error(body.error || response.statusText);
            reelSetSaved(button, body);
          } catch (error) {
            alert("Could not " + action + ": " + error.message);
          } finally {
            button.disabled = false;
          }
        });

        function reelSeconds(text) {
          const parts = text.trim().split(":").map(Number);
          return parts.reduce((total, part) => total * 60 + part, 0);
        }

        /// Cues of a WebVTT sprite map: [{start, end, x, y, w, h}].
        function reelParseVTT(text) {
          const cues = [];
          const blocks = text.replace(/\\r/g, "").split(/\\n\\n+/);
          for (const block of blocks) {
            const lines = block.split("\\n").filter((line) => line.length > 0);
            const timing = lines.findIndex((line) => line.includes("-->"));
            if (timing < 0 || timing + 1 >= lines.length) continue;
            const times = lines[timing].split("-->").map((part) => part.trim().split(" ")[0]);
            const [start, end] = times.map(reelSeconds);
            const match = /#xywh=(\\d+),(\\d+),(\\d+),(\\d+)/.exec(lines[timing + 1]);
            if (!match) continue;
            cues.push({ start, end, x: +match[1], y: +match[2], w: +match[3], h: +match[4] });
          }
          return cues;
        }

        async function reelScrub(bar) {
          const response = await fetch(bar.dataset.vtt);
          const cues = reelParseVTT(await response.text());
          const tile = document.getElementById("scrub-tile");
          const label = document.getElementById("scrub-time");
          const video = document.getElementById("player");
          const duration = () => (video && isFinite(video.duration) && video.duration) || +bar.dataset.duration;
          const timeAt = (event) => {
            const box = bar.getBoundingClientRect();
            return Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) * duration();
          };
          bar.dataset.ready = "true";
          bar.addEventListener("mousemove", (event) => {
            const time = timeAt(event);
            const cue = cues.find((c) => time >= c.start && time < c.end) || cues[cues.length - 1];
            if (!cue) return;
            tile.style.display = "block";
            tile.style.width = cue.w + "px";
            tile.style.height = cue.h + "px";
            tile.style.backgroundImage = "url(" + bar.dataset.sprite + ")";
            tile.style.backgroundPosition = -cue.x + "px " + -cue.y + "px";
            const box = bar.getBoundingClientRect();
            tile.style.left = Math.max(0, Math.min(box.width - cue.w, event.clientX - box.left - cue.w / 2)) + "px";
            tile.dataset.time = String(time);
            label.style.left = tile.style.left;
            label.textContent = time.toFixed(1) + " s";
          });
          bar.addEventListener("mouseleave", () => { tile.style.display = "none"; });
          bar.addEventListener("click", (event) => { if (video) video.currentTime = timeAt(event); });
        }

        document.addEventListener("DOMContentLoaded", () => {
          const bar = document.getElementById("scrub");
          if (bar) reelScrub(bar);
        });

        """
}
