package dev.memoryguard.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one kept-alive connection, cheap enough that a server's
 * own cost per request shows: it writes a fixed request and reads the response, whose
 * status it returns.
 */
final class KeepAliveClient implements AutoCloseable {

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private final byte[] request;

	private final StringBuilder line = new StringBuilder(128);

	KeepAliveClient(int port, String method, String path, int bodyBytes) throws IOException {
		this.socket = new Socket("localhost", port);
		this.socket.setTcpNoDelay(true);
		this.socket.setSoTimeout(30_000);
		this.out = this.socket.getOutputStream();
		this.in = new BufferedInputStream(this.socket.getInputStream(), 16 * 1024);
		String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
				+ ((bodyBytes > 0) ? "Content-Type: application/octet-stream\r\nContent-Length: " + bodyBytes + "\r\n"
						: "")
				+ "\r\n";
		byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
		this.request = new byte[headBytes.length + bodyBytes];
		System.arraycopy(headBytes, 0, this.request, 0, headBytes.length);
	}

	/**
	 * Sends the request and reads the whole response.
	 * @return the response status
	 */
	int exchange() throws IOException {
		this.out.write(this.request);
		this.out.flush();
		String status = readLine();
		long length = -1;
		boolean chunked = false;
		String header;
		while (!(header = readLine()).isEmpty()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
		}
		if (chunked) {
			long size;
			while ((size = Long.parseLong(readLine().trim(), 16)) > 0) {
				skip(size);
				readLine();
			}
			readLine();
		}
		else if (length > 0) {
			skip(length);
		}
		return Integer.parseInt(status.substring(9, 12));
	}

	private String readLine() throws IOException {
		this.line.setLength(0);
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("connection closed");
			}
			if (b != '\r') {
				this.line.append((char) b);
			}
		}
		return this.line.toString();
	}

	private void skip(long bytes) throws IOException {
		long left = bytes;
		while (left > 0) {
			long skipped = this.in.skip(left);
			if (skipped <= 0) {
				if (this.in.read() < 0) {
					throw new IOException("connection closed");
				}
				skipped = 1;
			}
			left -= skipped;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
