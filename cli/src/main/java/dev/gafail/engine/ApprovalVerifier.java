package dev.gafail.engine;

/** Who really approved: the identity AWS vouches for behind an approval, not the one it claims. */
@FunctionalInterface
public interface ApprovalVerifier {

    /** What binds an approval to one execution and one plan: the text its proof of identity signs. */
    static String audience(String execution, String plan) {
        return execution + " " + plan;
    }

    /** The identity behind {@code approval} of {@code plan} in {@code execution}, or why there is none. */
    Verified verify(Approval approval, String execution, String plan);

    /** The identity vouched for, or (null) why not. */
    record Verified(String identity, String problem) {

        public static Verified not(String problem) {
            return new Verified(null, problem);
        }
    }

    /** Where nothing can be verified: no approval of others counts. */
    ApprovalVerifier NONE = (approval, execution, plan) -> Verified.not("nothing here can verify who approved");
}
